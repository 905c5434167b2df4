# flowlab-render --plot: the write_timeout lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab write_timeout (naive): a client stops reading, the send buffer fills, the server gives up" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, 0
$recvq << EOD
0.000206 0.000
0.001228 97.938
0.008237 99.352
0.044232 123.523
2.978271 123.523
3.001239 0.000
EOD
$sendq << EOD
0.000117 0.000
0.001146 146.016
0.008146 146.016
0.044143 89.086
0.088204 147.063
2.974719 147.063
3.001398 170.008
3.002092 128.000
3.002726 0.000
EOD
$notsent << EOD
0.000117 0.000
0.001146 90.500
0.008146 89.086
0.044143 64.914
0.088204 147.063
2.974719 147.063
3.001398 56.563
3.002092 14.555
3.002726 0.000
EOD
$sndwnd << EOD
0.000117 62.734
0.001146 75.100
0.008146 75.100
0.044143 24.172
0.088204 0.000
2.974719 0.000
3.001398 113.445
3.002726 113.445
EOD
$wire << EOD
-0.000058 62.734
-0.000022 62.734
0.000287 76.875
0.000306 91.016
0.000339 87.748
0.000358 75.100
0.044099 24.172
0.088085 0.000
1.608084 0.000
3.000332 9.602
3.000384 0.000
3.000397 91.016
3.000465 91.016
3.000546 75.561
3.000579 35.082
3.000585 91.016
3.000592 99.500
3.000603 107.873
3.000709 74.527
3.000726 20.793
3.000736 107.873
3.000848 107.873
3.000855 104.918
3.000861 107.873
3.000880 107.873
3.000884 110.701
3.000898 110.701
3.000903 112.455
3.000922 112.455
3.000929 106.184
3.000936 112.455
3.000985 112.455
3.000989 113.445
3.001117 113.445
3.001174 69.543
3.001232 113.445
3.001281 56.123
3.001293 96.064
3.001318 63.176
3.001346 0.000
3.001362 113.445
3.001422 69.215
3.001438 18.617
3.001446 113.445
3.001600 113.445
3.001608 107.449
3.001615 113.445
3.001686 113.445
3.001719 69.172
3.001751 18.574
3.001759 113.445
3.001773 113.445
3.001787 107.449
3.001793 113.445
3.001834 113.445
3.001853 101.123
3.001866 113.445
3.001881 107.121
3.001890 113.445
3.001905 107.449
3.001914 113.445
3.001951 113.445
3.001966 101.123
3.001977 113.445
3.002014 113.445
3.002030 101.123
3.002044 113.445
3.002093 69.543
3.002114 113.445
3.002129 106.184
3.002143 113.445
3.002206 113.445
3.002219 63.176
3.002227 113.445
3.002305 113.445
3.002330 69.584
3.002343 18.986
3.002350 113.445
3.002545 113.445
3.002555 101.123
3.002567 113.445
3.002668 113.445
EOD
$reads << EOD
3.000270 123.523
EOD
$probes << EOD
0.304084 0.000
0.740122 0.000
1.608071 0.000
EOD
$updates << EOD
3.000332 9.602
3.000397 91.016
3.001362 113.445
EOD
set object 1 rect from 0.000473, graph 0 to 0.088174, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.088193, graph 0 to 3.000508, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 170.008
xmax_data = 3.003
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
