# flowlab-render --plot: the window_zero lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab window_zero: the receive buffer fills, the window falls to 0, one read reopens it" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, graph 0.05
$recvq << EOD
0.038716 0.000
0.039741 97.938
0.045740 99.352
0.081745 123.523
1.999711 123.523
2.039837 0.000
EOD
$sendq << EOD
0.038676 0.000
0.039708 146.016
0.045707 146.016
0.081727 89.086
0.125712 147.063
2.003743 147.063
2.039117 0.000
2.039788 79.923
2.039898 0.000
EOD
$notsent << EOD
0.038676 0.000
0.039708 90.500
0.045707 89.086
0.081727 64.914
0.125712 147.063
2.003743 147.063
2.039117 0.000
2.039898 0.000
EOD
$sndwnd << EOD
0.038676 63.633
0.039708 75.100
0.045707 75.100
0.081727 24.172
0.125712 0.000
2.003743 0.000
2.039117 91.914
2.039788 96.273
2.039898 96.273
EOD
$wire << EOD
0.038627 63.633
0.038800 77.773
0.038831 91.914
0.038890 87.748
0.038896 75.100
0.081320 24.172
0.125302 0.000
1.649319 0.000
2.038859 9.602
2.038920 0.000
2.038945 91.914
2.039084 91.914
2.039270 75.756
2.039323 35.277
2.039340 91.914
2.039437 91.914
2.039447 89.930
2.039456 91.914
2.039623 91.914
2.039653 73.295
2.039664 91.914
2.039671 94.680
2.039679 94.680
2.039685 96.273
2.039703 96.273
2.039812 84.666
2.039851 96.273
EOD
$reads << EOD
2.038769 123.523
EOD
$probes << EOD
0.341316 0.000
0.781332 0.000
1.649307 0.000
EOD
$updates << EOD
2.038859 9.602
2.038945 91.914
EOD
set object 1 rect from 0.039062, graph 0 to 0.125353, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.125488, graph 0 to 2.039211, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
plot $recvq with lines lw 2 lc rgb '#1f77b4' title "slow_reader: unread bytes (recvq)" noenhanced, \
     $sendq with lines lw 2 lc rgb '#d62728' title "fast_peer: queued, not yet acknowledged (sendq)" noenhanced, \
     $notsent with lines lw 1.5 dt 2 lc rgb '#ff7f0e' title "fast_peer: not yet sent (notsent)" noenhanced, \
     $sndwnd with lines lw 4 lc rgb '#2ca02c' title "window fast_peer sees (snd_wnd)" noenhanced, \
     $wire with steps lw 1.5 lc rgb '#9467bd' title "window slow_reader advertised on the wire" noenhanced, \
     $reads with points pt 7 ps 1.5 lc rgb '#000000' title "slow_reader reads again after its stall" noenhanced, \
     $probes with points pt 9 ps 1.5 lc rgb '#8c564b' title "window probe on the wire" noenhanced, \
     $updates with points pt 5 ps 1.5 lc rgb '#e377c2' title "window update on the wire" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "write() blocked" noenhanced
