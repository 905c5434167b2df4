# flowlab-render --plot: the write_timeout lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab write_timeout (user): a client stops reading, the send buffer fills, the server gives up" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, graph 0.05
$recvq << EOD
6.285289 97.938
6.290316 99.352
7.632139 123.523
EOD
$sendq << EOD
6.285169 0.000
6.286283 146.016
6.290198 146.016
6.326251 89.086
6.370258 147.063
7.613655 147.063
EOD
$notsent << EOD
6.285169 0.000
6.286283 90.500
6.290198 89.086
6.326251 64.914
6.370258 147.063
7.613655 147.063
EOD
$sndwnd << EOD
6.285169 62.734
6.286283 75.100
6.290198 75.100
6.326251 24.172
6.370258 0.000
7.613655 0.000
EOD
$wire << EOD
6.285039 62.734
6.285069 62.734
6.285204 76.875
6.285214 91.016
6.285227 87.748
6.285234 75.100
6.325647 24.172
6.369648 0.000
6.585686 0.000
7.632290 91.016
EOD
$reads << EOD
EOD
$probes << EOD
6.585671 0.000
7.037635 0.000
EOD
$updates << EOD
EOD
set object 1 rect from 6.285267, graph 0 to 6.369723, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 6.369742, graph 0 to 7.613680, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
plot $recvq with lines lw 2 lc rgb '#1f77b4' title "slow_reader: unread bytes (recvq)" noenhanced, \
     $sendq with lines lw 2 lc rgb '#d62728' title "fast_peer: queued, not yet acknowledged (sendq)" noenhanced, \
     $notsent with lines lw 1.5 dt 2 lc rgb '#ff7f0e' title "fast_peer: not yet sent (notsent)" noenhanced, \
     $sndwnd with lines lw 4 lc rgb '#2ca02c' title "window fast_peer sees (snd_wnd)" noenhanced, \
     $wire with steps lw 1.5 lc rgb '#9467bd' title "window slow_reader advertised on the wire" noenhanced, \
     $probes with points pt 9 ps 1.5 lc rgb '#8c564b' title "window probe on the wire" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "write() blocked" noenhanced
