# flowlab-render --plot: the blocked_write lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab blocked_write: the send buffer fills and write() blocks until the reader reads" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, graph 0.05
$recvq << EOD
0.028841 0.000
0.029875 97.938
0.041867 99.352
0.073974 123.523
1.998038 123.523
2.029223 35.352
2.029610 0.000
EOD
$sendq << EOD
0.028882 0.000
0.030028 146.016
0.040957 146.016
0.072998 89.086
0.121060 147.063
2.002716 147.063
2.029715 0.000
EOD
$notsent << EOD
0.028882 0.000
0.030028 90.500
0.040957 89.086
0.072998 64.914
0.121060 147.063
2.002716 147.063
2.029715 0.000
EOD
$sndwnd << EOD
0.028882 63.633
0.030028 75.100
0.040957 75.100
0.072998 24.172
0.121060 0.000
2.002716 0.000
2.029715 101.193
EOD
$wire << EOD
0.028734 63.633
0.029021 77.773
0.029032 91.914
0.029053 87.748
0.029060 75.100
0.072958 24.172
0.120974 0.000
1.648988 0.000
2.028997 9.602
2.029041 0.000
2.029052 91.914
2.029403 91.914
2.029410 94.742
2.029459 94.742
2.029464 97.570
2.029512 97.570
2.029518 100.398
2.029557 100.398
2.029563 101.193
2.029621 101.193
EOD
$reads << EOD
2.028923 123.523
EOD
$probes << EOD
0.336954 0.000
0.784952 0.000
1.648975 0.000
EOD
$updates << EOD
2.028997 9.602
2.029052 91.914
EOD
set object 1 rect from 0.029112, graph 0 to 0.121015, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.121055, graph 0 to 2.029181, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
plot $recvq with lines lw 2 lc rgb '#1f77b4' title "slow_reader: unread bytes (recvq)" noenhanced, \
     $sendq with lines lw 2 lc rgb '#d62728' title "fast_peer: queued, not yet acknowledged (sendq)" noenhanced, \
     $notsent with lines lw 1.5 dt 2 lc rgb '#ff7f0e' title "fast_peer: not yet sent (notsent)" noenhanced, \
     $sndwnd with lines lw 4 lc rgb '#2ca02c' title "window fast_peer sees (snd_wnd)" noenhanced, \
     $wire with steps lw 1.5 lc rgb '#9467bd' title "window slow_reader advertised on the wire" noenhanced, \
     $reads with points pt 7 ps 1.5 lc rgb '#000000' title "slow_reader reads again after its stall" noenhanced, \
     $probes with points pt 9 ps 1.5 lc rgb '#8c564b' title "window probe on the wire" noenhanced, \
     $updates with points pt 5 ps 1.5 lc rgb '#e377c2' title "window update on the wire" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "write() blocked" noenhanced
