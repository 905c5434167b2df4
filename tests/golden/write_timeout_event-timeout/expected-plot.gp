# flowlab-render --plot: the write_timeout lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab write_timeout (timeout): a client stops reading, the send buffer fills, the server gives up" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, 0
$recvq << EOD
0.000212 97.938
0.007243 99.352
0.043241 121.344
2.971140 121.344
3.000500 0.000
EOD
$sendq << EOD
0.000028 0.000
0.001195 146.016
0.008111 146.016
0.044056 89.086
0.088092 147.063
0.555254 147.063
EOD
$notsent << EOD
0.000028 0.000
0.001195 90.500
0.008111 89.086
0.044056 67.094
0.088092 147.063
0.555254 147.063
EOD
$sndwnd << EOD
0.000028 62.734
0.001195 72.918
0.008111 72.918
0.044056 21.992
0.088092 0.000
0.555254 0.000
EOD
$wire << EOD
-0.000091 62.734
-0.000061 62.734
0.000081 76.875
0.000091 91.016
0.000111 90.816
0.000118 86.574
0.000127 72.918
0.043118 21.992
0.087113 0.000
1.603138 0.000
3.000361 30.525
3.000407 17.875
3.000429 91.016
3.000514 91.016
EOD
$reads << EOD
3.000279 121.344
EOD
$probes << EOD
0.303121 0.000
0.739156 0.000
1.603126 0.000
EOD
$updates << EOD
3.000361 30.525
EOD
set object 1 rect from 0.000176, graph 0 to 0.087182, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.087201, graph 0 to 0.587248, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
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
