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
0.000028 0.000
0.001062 97.938
0.013055 99.352
0.045161 123.523
1.969225 123.523
2.000410 35.352
2.000798 0.000
EOD
$sendq << EOD
0.000069 0.000
0.001216 146.016
0.012145 146.016
0.044186 89.086
0.092248 147.063
1.973904 147.063
2.000902 0.000
EOD
$notsent << EOD
0.000069 0.000
0.001216 90.500
0.012145 89.086
0.044186 64.914
0.092248 147.063
1.973904 147.063
2.000902 0.000
EOD
$sndwnd << EOD
0.000069 63.633
0.001216 75.100
0.012145 75.100
0.044186 24.172
0.092248 0.000
1.973904 0.000
2.000902 101.193
EOD
$wire << EOD
-0.000078 63.633
0.000209 77.773
0.000219 91.914
0.000240 87.748
0.000247 75.100
0.044146 24.172
0.092162 0.000
1.620176 0.000
2.000184 9.602
2.000229 0.000
2.000240 91.914
2.000591 91.914
2.000597 94.742
2.000647 94.742
2.000652 97.570
2.000700 97.570
2.000705 100.398
2.000745 100.398
2.000750 101.193
2.000809 101.193
EOD
$reads << EOD
2.000111 123.523
EOD
$probes << EOD
0.308141 0.000
0.756140 0.000
1.620163 0.000
EOD
$updates << EOD
2.000184 9.602
2.000240 91.914
EOD
set object 1 rect from 0.000300, graph 0 to 0.092202, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.092243, graph 0 to 2.000369, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
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
