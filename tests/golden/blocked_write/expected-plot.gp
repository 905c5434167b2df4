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
0.040908 0.000
0.041963 97.938
0.051931 99.352
0.083938 123.523
2.003988 123.523
2.041840 0.000
EOD
$sendq << EOD
0.040944 0.000
0.042026 146.016
0.052004 146.016
0.084022 89.086
0.128005 147.063
2.010495 147.063
2.041657 0.000
2.041901 0.000
EOD
$notsent << EOD
0.040944 0.000
0.042026 90.500
0.052004 89.086
0.084022 64.914
0.128005 147.063
2.010495 147.063
2.041657 0.000
2.041901 0.000
EOD
$sndwnd << EOD
0.040944 63.633
0.042026 75.100
0.052004 75.100
0.084022 24.172
0.128005 0.000
2.010495 0.000
2.041657 105.430
2.041901 111.086
EOD
$wire << EOD
0.040818 63.633
0.041019 77.773
0.041030 91.914
0.041043 87.748
0.041049 75.100
0.083692 24.172
0.127683 0.000
1.655718 0.000
2.041064 9.602
2.041108 0.000
2.041119 91.914
2.041461 91.914
2.041467 94.742
2.041519 86.273
2.041536 44.529
2.041544 94.742
2.041575 94.742
2.041602 102.602
2.041632 102.602
2.041650 105.430
2.041683 105.430
2.041692 103.654
2.041701 105.430
2.041724 105.430
2.041729 108.258
2.041739 108.258
2.041754 85.688
2.041765 108.258
2.041770 111.086
2.041855 111.086
EOD
$reads << EOD
2.040986 123.523
EOD
$probes << EOD
0.343706 0.000
0.791703 0.000
1.655706 0.000
EOD
$updates << EOD
2.041064 9.602
2.041119 91.914
EOD
set object 1 rect from 0.041083, graph 0 to 0.127711, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.127735, graph 0 to 2.041370, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
plot $recvq with lines lw 2 lc rgb '#1f77b4' title "slow_reader: unread bytes (recvq)" noenhanced, \
     $sendq with lines lw 2 lc rgb '#d62728' title "fast_peer: queued, not yet acknowledged (sendq)" noenhanced, \
     $notsent with lines lw 1.5 dt 2 lc rgb '#ff7f0e' title "fast_peer: not yet sent (notsent)" noenhanced, \
     $sndwnd with lines lw 4 lc rgb '#2ca02c' title "window fast_peer sees (snd_wnd)" noenhanced, \
     $wire with steps lw 1.5 lc rgb '#9467bd' title "window slow_reader advertised on the wire" noenhanced, \
     $reads with points pt 7 ps 1.5 lc rgb '#000000' title "slow_reader reads again after its stall" noenhanced, \
     $probes with points pt 9 ps 1.5 lc rgb '#8c564b' title "window probe on the wire" noenhanced, \
     $updates with points pt 5 ps 1.5 lc rgb '#e377c2' title "window update on the wire" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "write() blocked" noenhanced
