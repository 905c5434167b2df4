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
0.000076 0.000
0.001103 97.938
0.007106 99.352
0.043103 123.523
1.964104 123.523
2.000244 69.125
2.000260 5.125
2.000287 24.039
2.000315 48.078
2.000358 65.344
2.000367 1.344
2.000371 0.000
2.000413 0.219
2.000416 0.000
2.000459 30.742
2.000473 33.258
2.000481 30.063
2.000493 3.195
2.000496 0.000
2.000504 14.508
2.000510 0.000
2.000518 14.141
2.000530 0.367
2.000537 14.141
2.000548 0.367
2.000556 12.727
2.000567 52.688
2.000575 11.313
2.000582 0.000
2.000606 0.000
2.000619 18.383
2.000626 53.734
2.000633 0.000
2.000737 0.000
EOD
$sendq << EOD
0.000052 0.000
0.001058 146.016
0.007040 146.016
0.043040 89.086
0.087042 147.063
1.952041 147.063
2.001008 0.000
EOD
$notsent << EOD
0.000052 0.000
0.001058 90.500
0.007040 89.086
0.043040 64.914
0.087042 147.063
1.952041 147.063
2.001008 0.000
EOD
$sndwnd << EOD
0.000052 63.633
0.001058 75.100
0.007040 75.100
0.043040 24.172
0.087042 0.000
1.952041 0.000
2.001008 109.617
EOD
$wire << EOD
-0.000042 63.633
0.000126 77.773
0.000136 91.914
0.000149 87.748
0.000155 75.100
0.042745 24.172
0.086742 0.000
1.598779 0.000
2.000210 9.602
2.000255 0.000
2.000266 91.914
2.000401 91.914
2.000410 94.742
2.000465 94.742
2.000480 72.031
2.000487 94.742
2.000491 101.133
2.000523 101.133
2.000529 103.961
2.000542 103.961
2.000547 106.789
2.000561 106.789
2.000566 109.617
2.000747 109.617
EOD
$reads << EOD
2.000134 123.523
EOD
$probes << EOD
0.302761 0.000
0.734758 0.000
1.598767 0.000
EOD
$updates << EOD
2.000210 9.602
2.000266 91.914
EOD
set object 1 rect from 0.000200, graph 0 to 0.086799, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.086823, graph 0 to 2.000404, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
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
