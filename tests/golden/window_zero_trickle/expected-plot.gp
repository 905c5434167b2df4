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
0.000071 0.000
0.001096 97.938
0.008098 99.352
0.044093 123.523
0.957101 123.523
1.001127 122.523
1.052103 122.523
1.101098 121.523
1.151098 121.523
1.201100 120.523
1.252097 120.523
1.301104 119.523
1.352097 119.523
1.401111 118.523
1.452095 118.523
1.501118 117.523
1.552100 117.523
1.601109 116.523
1.652094 116.523
1.701155 125.125
1.752103 125.125
1.801133 124.125
1.852096 124.125
1.901098 123.125
1.952096 123.125
2.001145 122.125
2.052175 122.125
2.101115 121.125
2.151569 121.125
2.200543 120.125
2.251538 120.125
2.300548 119.125
2.351540 119.125
2.400544 118.125
2.451564 118.125
2.500548 117.125
2.551538 117.125
2.600546 116.125
2.651543 116.125
2.700545 115.125
2.751584 115.125
2.800545 114.125
2.851538 114.125
2.900545 113.125
2.951543 113.125
3.000695 0.000
EOD
$sendq << EOD
0.000097 0.000
0.001052 146.016
0.008042 146.016
0.044040 89.086
0.088043 147.063
1.701043 147.063
1.748045 137.461
2.988260 137.461
3.000336 109.180
3.001298 43.220
3.001860 0.000
EOD
$notsent << EOD
0.000097 0.000
0.001052 90.500
0.008042 89.086
0.044040 64.914
0.088043 147.063
1.651042 147.063
1.701043 137.461
2.988260 137.461
3.000336 95.039
3.001298 0.000
3.001860 0.000
EOD
$sndwnd << EOD
0.000097 63.633
0.001052 75.100
0.008042 75.100
0.044040 24.172
0.088043 0.000
1.651042 0.000
1.701043 9.602
1.748045 0.000
2.988260 0.000
3.000336 87.748
3.001298 99.289
3.001860 99.289
EOD
$wire << EOD
-0.000028 63.633
0.000205 77.773
0.000218 91.914
0.000243 87.748
0.000260 75.100
0.043782 24.172
0.087785 0.000
1.599790 0.000
1.700146 9.602
1.747758 0.000
2.431794 0.000
3.000272 91.914
3.000306 93.346
3.000323 87.748
3.000333 75.100
3.000353 31.553
3.000373 0.000
3.000381 93.346
3.000476 80.668
3.000513 38.926
3.000531 93.346
3.000542 99.289
3.000645 82.205
3.000681 37.934
3.000688 99.289
3.000788 99.289
3.000820 74.826
3.000830 99.289
3.000839 99.289
3.000848 89.391
3.000857 99.289
3.000910 82.205
3.000935 37.934
3.000949 99.289
3.001504 99.289
EOD
$reads << EOD
1.000114 123.523
EOD
$probes << EOD
0.303775 0.000
0.735778 0.000
1.599777 0.000
1.971769 0.000
2.431781 0.000
EOD
$updates << EOD
1.700146 9.602
3.000272 91.914
3.000381 93.346
EOD
set object 1 rect from 0.000311, graph 0 to 0.087820, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.087833, graph 0 to 3.000436, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
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
