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
6.290765 0.000
6.291792 97.938
6.299811 99.352
7.635841 123.523
EOD
$sendq << EOD
6.290843 0.000
6.291869 146.016
6.299883 146.016
6.331873 89.086
6.379878 147.063
7.623614 147.063
EOD
$notsent << EOD
6.290843 0.000
6.291869 90.500
6.299883 89.086
6.331873 64.914
6.379878 147.063
7.623614 147.063
EOD
$sndwnd << EOD
6.290843 62.734
6.291869 75.100
6.299883 75.100
6.331873 24.172
6.379878 0.000
7.623614 0.000
EOD
$wire << EOD
6.290694 62.734
6.290724 62.734
6.290925 76.875
6.290935 91.016
6.290957 87.748
6.290963 75.100
6.331557 24.172
6.379556 0.000
6.599583 0.000
7.635957 91.016
EOD
$reads << EOD
EOD
$probes << EOD
6.599569 0.000
7.047562 0.000
EOD
$updates << EOD
EOD
set object 1 rect from 6.290989, graph 0 to 6.379617, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 6.379654, graph 0 to 7.623547, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
plot $recvq with lines lw 2 lc rgb '#1f77b4' title "slow_reader: unread bytes (recvq)" noenhanced, \
     $sendq with lines lw 2 lc rgb '#d62728' title "fast_peer: queued, not yet acknowledged (sendq)" noenhanced, \
     $notsent with lines lw 1.5 dt 2 lc rgb '#ff7f0e' title "fast_peer: not yet sent (notsent)" noenhanced, \
     $sndwnd with lines lw 4 lc rgb '#2ca02c' title "window fast_peer sees (snd_wnd)" noenhanced, \
     $wire with steps lw 1.5 lc rgb '#9467bd' title "window slow_reader advertised on the wire" noenhanced, \
     $probes with points pt 9 ps 1.5 lc rgb '#8c564b' title "window probe on the wire" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "write() blocked" noenhanced
