# flowlab-render --plot: the write_timeout lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab write_timeout (timeout): a client stops reading, the send buffer fills, the server gives up" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, graph 0.05
$recvq << EOD
3.162711 97.938
3.169742 99.352
3.205739 121.344
6.133638 121.344
6.162999 0.000
EOD
$sendq << EOD
3.162526 0.000
3.163693 146.016
3.170609 146.016
3.206554 89.086
3.250590 147.063
3.717752 147.063
EOD
$notsent << EOD
3.162526 0.000
3.163693 90.500
3.170609 89.086
3.206554 67.094
3.250590 147.063
3.717752 147.063
EOD
$sndwnd << EOD
3.162526 62.734
3.163693 72.918
3.170609 72.918
3.206554 21.992
3.250590 0.000
3.717752 0.000
EOD
$wire << EOD
3.162407 62.734
3.162437 62.734
3.162579 76.875
3.162589 91.016
3.162609 90.816
3.162616 86.574
3.162625 72.918
3.205616 21.992
3.249611 0.000
4.765636 0.000
6.162859 30.525
6.162905 17.875
6.162927 91.016
6.163012 91.016
EOD
$reads << EOD
6.162777 121.344
EOD
$probes << EOD
3.465619 0.000
3.901654 0.000
4.765624 0.000
EOD
$updates << EOD
6.162859 30.525
EOD
set object 1 rect from 3.162674, graph 0 to 3.249680, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 3.249699, graph 0 to 3.749746, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
plot $recvq with lines lw 2 lc rgb '#1f77b4' title "slow_reader: unread bytes (recvq)" noenhanced, \
     $sendq with lines lw 2 lc rgb '#d62728' title "fast_peer: queued, not yet acknowledged (sendq)" noenhanced, \
     $notsent with lines lw 1.5 dt 2 lc rgb '#ff7f0e' title "fast_peer: not yet sent (notsent)" noenhanced, \
     $sndwnd with lines lw 4 lc rgb '#2ca02c' title "window fast_peer sees (snd_wnd)" noenhanced, \
     $wire with steps lw 1.5 lc rgb '#9467bd' title "window slow_reader advertised on the wire" noenhanced, \
     $reads with points pt 7 ps 1.5 lc rgb '#000000' title "slow_reader reads again after its stall" noenhanced, \
     $probes with points pt 9 ps 1.5 lc rgb '#8c564b' title "window probe on the wire" noenhanced, \
     $updates with points pt 5 ps 1.5 lc rgb '#e377c2' title "window update on the wire" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "write() blocked" noenhanced
