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
0.001062 97.938
0.012054 99.352
0.048052 123.523
1.967509 123.523
2.000181 69.125
2.000224 5.125
2.000244 24.039
2.000262 48.078
2.000288 65.344
2.000297 1.344
2.000301 0.000
2.000410 73.164
2.000419 9.164
2.000426 0.000
2.000452 0.000
2.000535 36.398
2.000540 49.492
2.000549 0.000
2.000555 0.000
2.000571 14.508
2.000577 0.000
2.000585 14.141
2.000597 49.859
2.000605 14.141
2.000616 0.367
2.000624 12.727
2.000635 0.367
2.000643 11.313
2.000654 0.367
2.000662 9.898
2.000670 0.000
2.000689 0.000
EOD
$sendq << EOD
0.000062 0.000
0.001204 146.016
0.012089 146.016
0.048092 89.086
0.096123 147.063
1.962225 147.063
2.000242 137.461
2.000790 0.000
EOD
$notsent << EOD
0.000062 0.000
0.001204 90.500
0.012089 89.086
0.048092 64.914
0.096123 147.063
1.962225 147.063
2.000242 113.422
2.000790 0.000
EOD
$sndwnd << EOD
0.000062 63.633
0.001204 75.100
0.012089 75.100
0.048092 24.172
0.096123 0.000
1.962225 0.000
2.000242 91.914
2.000790 111.711
EOD
$wire << EOD
-0.000070 63.633
0.000099 77.773
0.000109 91.914
0.000135 87.748
0.000141 75.100
0.047667 24.172
0.095659 0.000
1.607706 0.000
2.000148 9.602
2.000218 0.000
2.000231 91.914
2.000296 91.914
2.000385 88.209
2.000417 47.730
2.000425 91.914
2.000432 100.398
2.000449 100.398
2.000534 81.213
2.000546 100.398
2.000590 100.398
2.000596 103.227
2.000610 103.227
2.000615 106.055
2.000630 106.055
2.000634 108.883
2.000648 108.883
2.000653 111.711
2.000715 111.711
EOD
$reads << EOD
2.000083 123.523
EOD
$probes << EOD
0.311685 0.000
0.747673 0.000
1.607693 0.000
EOD
$updates << EOD
2.000148 9.602
2.000231 91.914
EOD
set object 1 rect from 0.000191, graph 0 to 0.095709, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.095728, graph 0 to 2.000335, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
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
