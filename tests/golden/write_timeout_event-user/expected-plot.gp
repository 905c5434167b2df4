# flowlab-render --plot: the write_timeout lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab write_timeout (user): a client stops reading, the send buffer fills, the server gives up" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, 0
$recvq << EOD
0.000182 97.938
0.006209 99.352

1.346120 123.523
EOD
$sendq << EOD
0.000027 0.000
0.001174 146.016
0.006110 146.016
0.042135 89.086
0.086130 147.063
1.334110 147.063
EOD
$notsent << EOD
0.000027 0.000
0.001174 90.500
0.006110 89.086
0.042135 64.914
0.086130 147.063
1.334110 147.063
EOD
$sndwnd << EOD
0.000027 62.734
0.001174 75.100
0.006110 75.100
0.042135 24.172
0.086130 0.000
1.334110 0.000
EOD
$wire << EOD
-0.000088 62.734
-0.000058 62.734
0.000075 76.875
0.000085 91.016
0.000106 87.748
0.000112 75.100
0.042084 24.172
0.086086 0.000
0.302144 0.000
1.346192 91.016
EOD
$reads << EOD
EOD
$probes << EOD
0.302132 0.000
0.758103 0.000
EOD
$updates << EOD
EOD
set object 1 rect from 0.000156, graph 0 to 0.086113, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.086127, graph 0 to 1.334139, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 147.063
xmax_data = 1.346
if (!exists("ymax")) ymax = ymax_data
if (!exists("xmax")) xmax = xmax_data
set yrange [0:(ymax > 0 ? ymax * 1.05 : 1)]
set xrange [0:(xmax > 0 ? xmax * 1.02 : 1)]
plot $recvq with lines lw 2 lc rgb '#1f77b4' title "slow_reader: unread bytes (recvq)" noenhanced, \
     $sendq with lines lw 2 lc rgb '#d62728' title "fast_peer: queued, not yet acknowledged (sendq)" noenhanced, \
     $notsent with lines lw 1.5 dt 2 lc rgb '#ff7f0e' title "fast_peer: not yet sent (notsent)" noenhanced, \
     $sndwnd with lines lw 4 lc rgb '#2ca02c' title "window fast_peer sees (snd_wnd)" noenhanced, \
     $wire with steps lw 1.5 lc rgb '#9467bd' title "window slow_reader advertised on the wire" noenhanced, \
     $probes with points pt 9 ps 1.5 lc rgb '#8c564b' title "window probe on the wire" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "write() blocked" noenhanced
