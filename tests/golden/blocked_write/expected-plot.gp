# flowlab-render --plot: the blocked_write lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab blocked_write: the send buffer fills and write() blocks until the reader reads" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, 0
$recvq << EOD
0.000025 0.000
0.001081 97.938
0.011048 99.352
0.043055 123.523
1.963105 123.523
2.000957 0.000
EOD
$sendq << EOD
0.000061 0.000
0.001143 146.016
0.011121 146.016
0.043139 89.086
0.087123 147.063
1.969612 147.063
2.000774 0.000
2.001018 0.000
EOD
$notsent << EOD
0.000061 0.000
0.001143 90.500
0.011121 89.086
0.043139 64.914
0.087123 147.063
1.969612 147.063
2.000774 0.000
2.001018 0.000
EOD
$sndwnd << EOD
0.000061 63.633
0.001143 75.100
0.011121 75.100
0.043139 24.172
0.087123 0.000
1.969612 0.000
2.000774 105.430
2.001018 111.086
EOD
$wire << EOD
-0.000065 63.633
0.000137 77.773
0.000147 91.914
0.000160 87.748
0.000166 75.100
0.042809 24.172
0.086800 0.000
1.614835 0.000
2.000182 9.602
2.000225 0.000
2.000236 91.914
2.000579 91.914
2.000584 94.742
2.000636 86.273
2.000653 44.529
2.000661 94.742
2.000692 94.742
2.000719 102.602
2.000749 102.602
2.000767 105.430
2.000800 105.430
2.000809 103.654
2.000819 105.430
2.000841 105.430
2.000846 108.258
2.000856 108.258
2.000871 85.688
2.000882 108.258
2.000887 111.086
2.000972 111.086
EOD
$reads << EOD
2.000103 123.523
EOD
$probes << EOD
0.302823 0.000
0.750821 0.000
1.614823 0.000
EOD
$updates << EOD
2.000182 9.602
2.000236 91.914
EOD
set object 1 rect from 0.000201, graph 0 to 0.086828, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.086853, graph 0 to 2.000488, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
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
