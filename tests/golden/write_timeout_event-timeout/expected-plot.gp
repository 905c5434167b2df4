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
0.000167 97.938
0.008197 99.352
0.048193 123.523
2.980200 123.523
3.000328 69.125
3.000344 5.125
3.000365 24.039
3.000381 48.078
3.000400 65.344
3.000422 1.344
3.000425 0.000
3.000433 0.000
EOD
$sendq << EOD
0.000025 0.000
0.001162 146.016
0.008052 146.016
0.048054 89.086
0.096113 147.063
0.570049 147.063
EOD
$notsent << EOD
0.000025 0.000
0.001162 90.500
0.008052 89.086
0.048054 64.914
0.096113 147.063
0.570049 147.063
EOD
$sndwnd << EOD
0.000025 62.734
0.001162 75.100
0.008052 75.100
0.048054 24.172
0.096113 0.000
0.570049 0.000
EOD
$wire << EOD
-0.000084 62.734
-0.000055 62.734
0.000065 76.875
0.000075 91.016
0.000094 87.748
0.000101 75.100
0.047420 24.172
0.095415 0.000
1.627452 0.000
3.000295 9.602
3.000339 0.000
3.000351 91.016
3.000445 91.016
EOD
$reads << EOD
3.000226 123.523
EOD
$probes << EOD
0.315436 0.000
0.763436 0.000
1.627438 0.000
EOD
$updates << EOD
3.000295 9.602
3.000351 91.016
EOD
set object 1 rect from 0.000149, graph 0 to 0.095459, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.095482, graph 0 to 0.595520, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 147.063
xmax_data = 3.000
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
