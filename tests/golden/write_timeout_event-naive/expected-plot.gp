# flowlab-render --plot: the write_timeout lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab write_timeout (naive): a client stops reading, the send buffer fills, the server gives up" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, 0
$recvq << EOD
0.000023 0.000
0.001047 97.938
0.005049 99.352
0.041215 123.523
2.973697 123.523
3.000797 0.000
EOD
$sendq << EOD
0.000066 0.000
0.001200 146.016
0.005091 146.016
0.041112 89.086
0.089121 147.063
2.966492 147.063
3.000558 136.266
3.001833 113.125
3.002438 0.000
EOD
$notsent << EOD
0.000066 0.000
0.001200 90.500
0.005091 89.086
0.041112 64.914
0.089121 147.063
2.966492 147.063
3.000558 45.250
3.001833 104.670
3.002438 0.000
EOD
$sndwnd << EOD
0.000066 62.734
0.001200 75.100
0.005091 75.100
0.041112 24.172
0.089121 0.000
2.966492 0.000
3.000558 91.016
3.001833 8.455
3.002438 106.451
EOD
$wire << EOD
-0.000047 62.734
-0.000017 62.734
0.000104 76.875
0.000116 91.016
0.000129 87.748
0.000136 75.100
0.040773 24.172
0.088783 0.000
1.600791 0.000
3.000221 9.602
3.000278 0.000
3.000305 91.016
3.000400 91.016
3.000558 89.607
3.000601 49.129
3.000608 91.016
3.000620 99.500
3.000639 99.500
3.000734 82.018
3.000767 37.744
3.000789 99.500
3.000812 80.963
3.000836 17.533
3.000849 99.500
3.000878 81.689
3.000894 37.416
3.000901 99.500
3.000950 99.500
3.000977 81.822
3.001009 8.629
3.001050 99.500
3.001093 81.689
3.001107 25.229
3.001133 99.500
3.001149 81.689
3.001177 99.500
3.001206 68.313
3.001215 98.594
3.001221 99.500
3.001234 99.500
3.001252 85.359
3.001257 41.344
3.001264 36.641
3.001271 96.064
3.001277 98.705
3.001284 99.500
3.001311 99.084
3.001326 25.090
3.001339 99.500
3.001367 81.689
3.001375 99.500
3.001388 69.500
3.001408 69.500
3.001416 100.795
3.001441 100.795
3.001457 68.773
3.001469 31.287
3.001492 100.795
3.001662 79.805
3.001703 66.469
3.001738 86.658
3.001784 69.500
3.001823 8.455
3.001848 100.795
3.001883 80.531
3.001922 32.791
3.001929 100.795
3.001933 103.623
3.002028 103.623
3.002083 56.098
3.002096 56.824
3.002148 68.236
3.002162 103.623
3.002175 96.447
3.002183 103.623
3.002187 106.451
3.002205 56.193
3.002213 106.451
3.002227 66.971
3.002234 84.627
3.002261 76.623
3.002274 29.820
3.002290 106.451
3.002297 106.451
3.002304 81.729
3.002311 106.451
3.002385 106.451
EOD
$reads << EOD
3.000093 123.523
EOD
$probes << EOD
0.304804 0.000
0.740773 0.000
1.600779 0.000
EOD
$updates << EOD
3.000221 9.602
3.000305 91.016
EOD
set object 1 rect from 0.000186, graph 0 to 0.088839, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.088858, graph 0 to 3.000458, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 147.063
xmax_data = 3.002
if (!exists("ymax")) ymax = ymax_data
if (!exists("xmax")) xmax = xmax_data
set yrange [0:(ymax > 0 ? ymax * 1.05 : 1)]
set xrange [0:(xmax > 0 ? xmax * 1.02 : 1)]
plot $recvq with lines lw 2 lc rgb '#1f77b4' title "slow_reader: unread bytes (recvq)" noenhanced, \
     $sendq with lines lw 2 lc rgb '#d62728' title "fast_peer: queued, not yet acknowledged (sendq)" noenhanced, \
     $notsent with lines lw 1.5 dt 2 lc rgb '#ff7f0e' title "fast_peer: not yet sent (notsent)" noenhanced, \
     $sndwnd with lines lw 4 lc rgb '#2ca02c' title "window fast_peer sees (snd_wnd)" noenhanced, \
     $wire with steps lw 1.5 lc rgb '#9467bd' title "window slow_reader advertised on the wire" noenhanced, \
     $reads with points pt 7 ps 1.5 lc rgb '#000000' title "slow_reader reads again after its stall" noenhanced, \
     $probes with points pt 9 ps 1.5 lc rgb '#8c564b' title "window probe on the wire" noenhanced, \
     $updates with points pt 5 ps 1.5 lc rgb '#e377c2' title "window update on the wire" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "write() blocked" noenhanced
