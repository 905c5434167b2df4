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
0.000025 0.000
0.001085 97.938
0.006051 99.352
0.042067 123.523
1.966056 123.523
2.000241 69.125
2.000258 5.125
2.000283 24.039
2.000316 48.078
2.000352 65.344
2.000364 1.344
2.000367 0.000
2.000480 73.164
2.000489 9.164
2.000496 0.000
2.000588 91.914
2.000620 116.717
2.000649 62.082
2.000662 35.885
2.000676 30.033
2.000685 26.838
2.000697 3.195
2.000700 0.000
2.000707 15.922
2.000714 0.000
2.000786 85.023
2.000803 53.521
2.000817 10.479
2.000832 0.000
2.000922 0.000
EOD
$sendq << EOD
0.000063 0.000
0.001100 146.016
0.006089 146.016
0.042096 89.086
0.090098 147.063
1.968096 147.063
2.000358 65.344
2.000976 0.000
EOD
$notsent << EOD
0.000063 0.000
0.001100 90.500
0.006089 89.086
0.042096 64.914
0.090098 147.063
1.968096 147.063
2.000358 0.000
2.000976 0.000
EOD
$sndwnd << EOD
0.000063 63.633
0.001100 75.100
0.006089 75.100
0.042096 24.172
0.090098 0.000
1.968096 0.000
2.000358 91.914
2.000976 99.531
EOD
$wire << EOD
-0.000072 63.633
0.000132 77.773
0.000142 91.914
0.000162 87.748
0.000169 75.100
0.041263 24.172
0.089263 0.000
1.613287 0.000
2.000206 9.602
2.000253 0.000
2.000268 91.914
2.000361 91.914
2.000471 75.756
2.000487 35.277
2.000494 91.914
2.000571 91.914
2.000599 88.803
2.000628 9.365
2.000656 91.914
2.000668 91.914
2.000683 73.295
2.000691 91.914
2.000695 98.305
2.000705 98.305
2.000712 99.531
2.000762 81.990
2.000793 37.717
2.000809 99.531
2.000938 99.531
EOD
$reads << EOD
2.000111 123.523
EOD
$probes << EOD
0.309268 0.000
0.753267 0.000
1.613275 0.000
EOD
$updates << EOD
2.000206 9.602
2.000268 91.914
EOD
set object 1 rect from 0.000208, graph 0 to 0.089318, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.089344, graph 0 to 2.000420, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
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
