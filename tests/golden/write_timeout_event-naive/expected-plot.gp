# flowlab-render --plot: the write_timeout lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab write_timeout (naive): a client stops reading, the send buffer fills, the server gives up" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, graph 0.05
$recvq << EOD
0.028870 0.000
0.029893 97.938
0.033896 99.352
0.070061 123.523
3.002544 123.523
3.029643 0.000
EOD
$sendq << EOD
0.028912 0.000
0.030046 146.016
0.033938 146.016
0.069958 89.086
0.117967 147.063
2.995339 147.063
3.029404 136.266
3.030679 113.125
3.031285 0.000
EOD
$notsent << EOD
0.028912 0.000
0.030046 90.500
0.033938 89.086
0.069958 64.914
0.117967 147.063
2.995339 147.063
3.029404 45.250
3.030679 104.670
3.031285 0.000
EOD
$sndwnd << EOD
0.028912 62.734
0.030046 75.100
0.033938 75.100
0.069958 24.172
0.117967 0.000
2.995339 0.000
3.029404 91.016
3.030679 8.455
3.031285 106.451
EOD
$wire << EOD
0.028800 62.734
0.028829 62.734
0.028951 76.875
0.028963 91.016
0.028976 87.748
0.028983 75.100
0.069620 24.172
0.117629 0.000
1.629637 0.000
3.029067 9.602
3.029125 0.000
3.029152 91.016
3.029247 91.016
3.029405 89.607
3.029447 49.129
3.029454 91.016
3.029466 99.500
3.029486 99.500
3.029581 82.018
3.029614 37.744
3.029635 99.500
3.029658 80.963
3.029683 17.533
3.029696 99.500
3.029725 81.689
3.029741 37.416
3.029748 99.500
3.029796 99.500
3.029824 81.822
3.029856 8.629
3.029897 99.500
3.029940 81.689
3.029953 25.229
3.029980 99.500
3.029995 81.689
3.030023 99.500
3.030053 68.313
3.030062 98.594
3.030068 99.500
3.030081 99.500
3.030099 85.359
3.030104 41.344
3.030111 36.641
3.030117 96.064
3.030124 98.705
3.030130 99.500
3.030158 99.084
3.030173 25.090
3.030186 99.500
3.030214 81.689
3.030221 99.500
3.030235 69.500
3.030255 69.500
3.030262 100.795
3.030288 100.795
3.030303 68.773
3.030316 31.287
3.030339 100.795
3.030509 79.805
3.030549 66.469
3.030584 86.658
3.030630 69.500
3.030670 8.455
3.030694 100.795
3.030730 80.531
3.030769 32.791
3.030776 100.795
3.030780 103.623
3.030874 103.623
3.030930 56.098
3.030943 56.824
3.030995 68.236
3.031009 103.623
3.031022 96.447
3.031030 103.623
3.031034 106.451
3.031051 56.193
3.031060 106.451
3.031074 66.971
3.031080 84.627
3.031108 76.623
3.031121 29.820
3.031136 106.451
3.031143 106.451
3.031151 81.729
3.031158 106.451
3.031232 106.451
EOD
$reads << EOD
3.028939 123.523
EOD
$probes << EOD
0.333651 0.000
0.769620 0.000
1.629625 0.000
EOD
$updates << EOD
3.029067 9.602
3.029152 91.016
EOD
set object 1 rect from 0.029033, graph 0 to 0.117685, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.117704, graph 0 to 3.029305, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
plot $recvq with lines lw 2 lc rgb '#1f77b4' title "slow_reader: unread bytes (recvq)" noenhanced, \
     $sendq with lines lw 2 lc rgb '#d62728' title "fast_peer: queued, not yet acknowledged (sendq)" noenhanced, \
     $notsent with lines lw 1.5 dt 2 lc rgb '#ff7f0e' title "fast_peer: not yet sent (notsent)" noenhanced, \
     $sndwnd with lines lw 4 lc rgb '#2ca02c' title "window fast_peer sees (snd_wnd)" noenhanced, \
     $wire with steps lw 1.5 lc rgb '#9467bd' title "window slow_reader advertised on the wire" noenhanced, \
     $reads with points pt 7 ps 1.5 lc rgb '#000000' title "slow_reader reads again after its stall" noenhanced, \
     $probes with points pt 9 ps 1.5 lc rgb '#8c564b' title "window probe on the wire" noenhanced, \
     $updates with points pt 5 ps 1.5 lc rgb '#e377c2' title "window update on the wire" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "write() blocked" noenhanced
