# flowlab-render --plot: the window_zero lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab window_zero: the receive buffer fills, the window falls to 0, one read reopens it" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, 0
$recvq << EOD
0.000059 0.000
0.001084 97.938
0.007083 99.352
0.043088 123.523
1.961054 123.523
2.001180 0.000
EOD
$sendq << EOD
0.000019 0.000
0.001052 146.016
0.007051 146.016
0.043070 89.086
0.087055 147.063
1.965087 147.063
2.000460 0.000
2.001131 79.923
2.001242 0.000
EOD
$notsent << EOD
0.000019 0.000
0.001052 90.500
0.007051 89.086
0.043070 64.914
0.087055 147.063
1.965087 147.063
2.000460 0.000
2.001242 0.000
EOD
$sndwnd << EOD
0.000019 63.633
0.001052 75.100
0.007051 75.100
0.043070 24.172
0.087055 0.000
1.965087 0.000
2.000460 91.914
2.001131 96.273
2.001242 96.273
EOD
$wire << EOD
-0.000030 63.633
0.000144 77.773
0.000174 91.914
0.000233 87.748
0.000240 75.100
0.042664 24.172
0.086645 0.000
1.610662 0.000
2.000202 9.602
2.000263 0.000
2.000288 91.914
2.000428 91.914
2.000613 75.756
2.000666 35.277
2.000683 91.914
2.000780 91.914
2.000790 89.930
2.000799 91.914
2.000967 91.914
2.000996 73.295
2.001007 91.914
2.001014 94.680
2.001022 94.680
2.001028 96.273
2.001047 96.273
2.001155 84.666
2.001194 96.273
EOD
$reads << EOD
2.000113 123.523
EOD
$probes << EOD
0.302659 0.000
0.742676 0.000
1.610651 0.000
EOD
$updates << EOD
2.000202 9.602
2.000288 91.914
EOD
set object 1 rect from 0.000405, graph 0 to 0.086697, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.086832, graph 0 to 2.000554, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 147.063
xmax_data = 2.001
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
