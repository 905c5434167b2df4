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
0.000026 0.000
0.001090 97.938
0.006050 99.352
0.042050 123.523
0.955052 123.523
1.000091 122.523
1.052050 122.523
1.100065 121.523
1.152050 121.523
1.200086 120.523
1.252052 120.523
1.300080 119.523
1.352053 119.523
1.400065 118.523
1.452051 118.523
1.500089 117.523
1.552052 117.523
1.600066 116.523
1.652053 116.523
1.700173 125.125
1.752051 125.125
1.800063 124.125
1.852051 124.125
1.900063 123.125
1.952054 123.125
2.000064 122.125
2.052056 122.125
2.100062 121.125
2.152054 121.125
2.200066 120.125
2.252051 120.125
2.300070 119.125
2.352056 119.125
2.400066 118.125
2.452050 118.125
2.500062 117.125
2.552052 117.125
2.600064 116.125
2.652050 116.125
2.700062 115.125
2.752051 115.125
2.800067 114.125
2.852052 114.125
2.900066 113.125
2.952053 113.125
3.000126 49.125
3.000280 98.984
3.000313 66.537
3.000325 2.537
3.000333 0.000
3.000400 0.000
3.000484 29.346
3.000493 33.938
3.000505 0.717
3.000514 16.969
3.000525 0.367
3.000532 15.555
3.000543 0.367
3.000551 14.141
3.000562 0.367
3.000570 12.727
3.000580 0.367
3.000588 11.313
3.000599 0.367
3.000607 9.898
3.000635 64.367
3.000643 48.756
3.000647 0.000
3.000656 0.000
3.000663 9.898
3.000675 0.279
3.000677 0.000
3.000734 0.000
EOD
$sendq << EOD
0.000064 0.000
0.001082 146.016
0.006086 146.016
0.042098 89.086
0.090093 147.063
1.700639 147.063
1.742639 137.461
2.960644 137.461
3.000720 0.001
3.000779 0.000
EOD
$notsent << EOD
0.000064 0.000
0.001082 90.500
0.006086 89.086
0.042098 64.914
0.090093 147.063
1.657644 147.063
1.700639 137.461
2.960644 137.461
3.000720 0.000
3.000779 0.000
EOD
$sndwnd << EOD
0.000064 63.633
0.001082 75.100
0.006086 75.100
0.042098 24.172
0.090093 0.000
1.657644 0.000
1.700639 9.602
1.742639 0.000
2.960644 0.000
3.000720 112.547
3.000779 112.547
EOD
$wire << EOD
-0.000072 63.633
0.000132 77.773
0.000142 91.914
0.000169 87.748
0.000176 75.100
0.041949 24.172
0.089941 0.000
1.605971 0.000
1.700097 9.602
1.741938 0.000
2.405961 0.000
3.000158 91.914
3.000192 93.346
3.000209 87.748
3.000217 75.100
3.000291 31.553
3.000322 0.000
3.000331 93.346
3.000499 93.346
3.000504 96.174
3.000519 96.174
3.000524 99.002
3.000537 99.002
3.000542 101.830
3.000556 101.830
3.000561 104.658
3.000574 104.658
3.000579 107.486
3.000593 107.486
3.000598 110.314
3.000612 110.314
3.000616 112.389
3.000642 69.434
3.000654 112.389
3.000668 112.389
3.000673 112.547
3.000743 112.547
EOD
$reads << EOD
1.000063 123.523
EOD
$probes << EOD
0.309960 0.000
0.741955 0.000
1.605959 0.000
1.965950 0.000
2.405949 0.000
EOD
$updates << EOD
1.700097 9.602
3.000158 91.914
3.000331 93.346
EOD
set object 1 rect from 0.000228, graph 0 to 0.089997, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.090027, graph 0 to 3.000433, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 147.063
xmax_data = 3.001
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
