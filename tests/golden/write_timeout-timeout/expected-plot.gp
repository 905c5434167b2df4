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
3.163743 0.000
3.164784 97.938
3.171772 99.352
3.207770 123.523
6.139420 123.523
6.164063 0.000
EOD
$sendq << EOD
3.163836 0.000
3.164863 146.016
3.171863 146.016
3.207862 89.086
3.255863 147.063
4.260404 147.063
EOD
$notsent << EOD
3.163836 0.000
3.164863 90.500
3.171863 89.086
3.207862 64.914
3.255863 147.063
4.260404 147.063
EOD
$sndwnd << EOD
3.163836 62.734
3.164863 75.100
3.171863 75.100
3.207862 24.172
3.255863 0.000
4.260404 0.000
EOD
$wire << EOD
3.163668 62.734
3.163697 62.734
3.163917 76.875
3.163928 91.016
3.163947 87.748
3.163954 75.100
3.207546 24.172
3.255531 0.000
4.775567 0.000
6.163897 9.602
6.163950 0.000
6.163965 91.016
6.164077 91.016
EOD
$reads << EOD
6.163812 123.523
EOD
$probes << EOD
3.471564 0.000
3.907576 0.000
4.775552 0.000
EOD
$updates << EOD
6.163897 9.602
6.163965 91.016
EOD
set object 1 rect from 3.163993, graph 0 to 3.255579, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 3.255602, graph 0 to 3.779536, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 3 rect from 3.779545, graph 0 to 4.291558, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
plot $recvq with lines lw 2 lc rgb '#1f77b4' title "slow_reader: unread bytes (recvq)" noenhanced, \
     $sendq with lines lw 2 lc rgb '#d62728' title "fast_peer: queued, not yet acknowledged (sendq)" noenhanced, \
     $notsent with lines lw 1.5 dt 2 lc rgb '#ff7f0e' title "fast_peer: not yet sent (notsent)" noenhanced, \
     $sndwnd with lines lw 4 lc rgb '#2ca02c' title "window fast_peer sees (snd_wnd)" noenhanced, \
     $wire with steps lw 1.5 lc rgb '#9467bd' title "window slow_reader advertised on the wire" noenhanced, \
     $reads with points pt 7 ps 1.5 lc rgb '#000000' title "slow_reader reads again after its stall" noenhanced, \
     $probes with points pt 9 ps 1.5 lc rgb '#8c564b' title "window probe on the wire" noenhanced, \
     $updates with points pt 5 ps 1.5 lc rgb '#e377c2' title "window update on the wire" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "write() blocked" noenhanced
