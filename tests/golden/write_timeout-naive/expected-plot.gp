# flowlab-render --plot: the write_timeout lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab write_timeout (naive): a client stops reading, the send buffer fills, the server gives up" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, graph 0.05
$recvq << EOD
0.031699 0.000
0.032721 97.938
0.039730 99.352
0.075725 123.523
3.009764 123.523
3.032732 0.000
EOD
$sendq << EOD
0.031610 0.000
0.032639 146.016
0.039639 146.016
0.075636 89.086
0.119697 147.063
3.006212 147.063
3.032891 170.008
3.033585 128.000
3.034219 0.000
EOD
$notsent << EOD
0.031610 0.000
0.032639 90.500
0.039639 89.086
0.075636 64.914
0.119697 147.063
3.006212 147.063
3.032891 56.563
3.033585 14.555
3.034219 0.000
EOD
$sndwnd << EOD
0.031610 62.734
0.032639 75.100
0.039639 75.100
0.075636 24.172
0.119697 0.000
3.006212 0.000
3.032891 113.445
3.034219 113.445
EOD
$wire << EOD
0.031435 62.734
0.031471 62.734
0.031780 76.875
0.031799 91.016
0.031832 87.748
0.031852 75.100
0.075592 24.172
0.119578 0.000
1.639577 0.000
3.031825 9.602
3.031877 0.000
3.031890 91.016
3.031958 91.016
3.032039 75.561
3.032072 35.082
3.032078 91.016
3.032085 99.500
3.032096 107.873
3.032202 74.527
3.032219 20.793
3.032229 107.873
3.032341 107.873
3.032348 104.918
3.032354 107.873
3.032373 107.873
3.032377 110.701
3.032391 110.701
3.032396 112.455
3.032415 112.455
3.032422 106.184
3.032429 112.455
3.032478 112.455
3.032483 113.445
3.032610 113.445
3.032667 69.543
3.032725 113.445
3.032774 56.123
3.032786 96.064
3.032811 63.176
3.032839 0.000
3.032855 113.445
3.032915 69.215
3.032931 18.617
3.032939 113.445
3.033093 113.445
3.033101 107.449
3.033108 113.445
3.033179 113.445
3.033212 69.172
3.033244 18.574
3.033252 113.445
3.033266 113.445
3.033280 107.449
3.033286 113.445
3.033327 113.445
3.033346 101.123
3.033359 113.445
3.033374 107.121
3.033383 113.445
3.033398 107.449
3.033407 113.445
3.033444 113.445
3.033459 101.123
3.033470 113.445
3.033507 113.445
3.033523 101.123
3.033537 113.445
3.033586 69.543
3.033607 113.445
3.033622 106.184
3.033636 113.445
3.033699 113.445
3.033712 63.176
3.033720 113.445
3.033798 113.445
3.033823 69.584
3.033836 18.986
3.033843 113.445
3.034038 113.445
3.034048 101.123
3.034061 113.445
3.034161 113.445
EOD
$reads << EOD
3.031763 123.523
EOD
$probes << EOD
0.335577 0.000
0.771615 0.000
1.639564 0.000
EOD
$updates << EOD
3.031825 9.602
3.031890 91.016
3.032855 113.445
EOD
set object 1 rect from 0.031966, graph 0 to 0.119667, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.119686, graph 0 to 3.032001, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
plot $recvq with lines lw 2 lc rgb '#1f77b4' title "slow_reader: unread bytes (recvq)" noenhanced, \
     $sendq with lines lw 2 lc rgb '#d62728' title "fast_peer: queued, not yet acknowledged (sendq)" noenhanced, \
     $notsent with lines lw 1.5 dt 2 lc rgb '#ff7f0e' title "fast_peer: not yet sent (notsent)" noenhanced, \
     $sndwnd with lines lw 4 lc rgb '#2ca02c' title "window fast_peer sees (snd_wnd)" noenhanced, \
     $wire with steps lw 1.5 lc rgb '#9467bd' title "window slow_reader advertised on the wire" noenhanced, \
     $reads with points pt 7 ps 1.5 lc rgb '#000000' title "slow_reader reads again after its stall" noenhanced, \
     $probes with points pt 9 ps 1.5 lc rgb '#8c564b' title "window probe on the wire" noenhanced, \
     $updates with points pt 5 ps 1.5 lc rgb '#e377c2' title "window update on the wire" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "write() blocked" noenhanced
