# flowlab-render --plot: the write_timeout lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab write_timeout (timeout): a client stops reading, the send buffer fills, the server gives up" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, 0
$recvq << EOD
0.000018 0.000
0.001054 97.938
0.007069 99.352
0.047083 123.523
2.980794 123.523
3.000183 69.125
3.000198 5.125
3.000218 24.039
3.000241 48.078
3.000259 65.344
3.000281 1.344
3.000284 0.000
3.000293 0.000
EOD
$sendq << EOD
0.000093 0.000
0.001115 146.016
0.007130 146.016
0.047122 89.086
0.095149 147.063
1.107272 147.063
EOD
$notsent << EOD
0.000093 0.000
0.001115 90.500
0.007130 89.086
0.047122 64.914
0.095149 147.063
1.107272 147.063
EOD
$sndwnd << EOD
0.000093 62.734
0.001115 75.100
0.007130 75.100
0.047122 24.172
0.095149 0.000
1.107272 0.000
EOD
$wire << EOD
-0.000046 62.734
-0.000017 62.734
0.000168 76.875
0.000188 91.016
0.000209 87.748
0.000216 75.100
0.047063 24.172
0.095061 0.000
1.623087 0.000
3.000148 9.602
3.000194 0.000
3.000204 91.016
3.000304 91.016
EOD
$reads << EOD
3.000079 123.523
EOD
$probes << EOD
0.315078 0.000
0.755086 0.000
1.623073 0.000
EOD
$updates << EOD
3.000148 9.602
3.000204 91.016
EOD
set object 1 rect from 0.000251, graph 0 to 0.095094, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.095132, graph 0 to 0.627063, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 3 rect from 0.627080, graph 0 to 1.143052, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 147.063
xmax_data = 3.000
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
