# flowlab-render --plot: the window_zero lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab window_zero: the receive buffer fills, the window falls to 0, one read reopens it" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, graph 0.05
$recvq << EOD
0.039919 0.000
0.040944 97.938
0.047946 99.352
0.083941 123.523
0.996948 123.523
1.040974 122.523
1.091951 122.523
1.140945 121.523
1.190946 121.523
1.240947 120.523
1.291945 120.523
1.340952 119.523
1.391944 119.523
1.440959 118.523
1.491942 118.523
1.540966 117.523
1.591947 117.523
1.640956 116.523
1.691942 116.523
1.741002 125.125
1.791950 125.125
1.840981 124.125
1.891944 124.125
1.940946 123.125
1.991944 123.125
2.040992 122.125
2.092023 122.125
2.140963 121.125
2.191417 121.125
2.240391 120.125
2.291386 120.125
2.340396 119.125
2.391388 119.125
2.440391 118.125
2.491411 118.125
2.540395 117.125
2.591385 117.125
2.640393 116.125
2.691391 116.125
2.740393 115.125
2.791432 115.125
2.840392 114.125
2.891385 114.125
2.940393 113.125
2.991391 113.125
3.040543 0.000
EOD
$sendq << EOD
0.039944 0.000
0.040899 146.016
0.047890 146.016
0.083887 89.086
0.127890 147.063
1.740891 147.063
1.787892 137.461
3.028108 137.461
3.040184 109.180
3.041146 43.220
3.041707 0.000
EOD
$notsent << EOD
0.039944 0.000
0.040899 90.500
0.047890 89.086
0.083887 64.914
0.127890 147.063
1.690889 147.063
1.740891 137.461
3.028108 137.461
3.040184 95.039
3.041146 0.000
3.041707 0.000
EOD
$sndwnd << EOD
0.039944 63.633
0.040899 75.100
0.047890 75.100
0.083887 24.172
0.127890 0.000
1.690889 0.000
1.740891 9.602
1.787892 0.000
3.028108 0.000
3.040184 87.748
3.041146 99.289
3.041707 99.289
EOD
$wire << EOD
0.039820 63.633
0.040053 77.773
0.040065 91.914
0.040091 87.748
0.040107 75.100
0.083630 24.172
0.127633 0.000
1.639638 0.000
1.739994 9.602
1.787605 0.000
2.471641 0.000
3.040119 91.914
3.040154 93.346
3.040171 87.748
3.040180 75.100
3.040200 31.553
3.040220 0.000
3.040229 93.346
3.040323 80.668
3.040360 38.926
3.040378 93.346
3.040389 99.289
3.040493 82.205
3.040529 37.934
3.040535 99.289
3.040636 99.289
3.040667 74.826
3.040678 99.289
3.040687 99.289
3.040695 89.391
3.040704 99.289
3.040757 82.205
3.040782 37.934
3.040797 99.289
3.041352 99.289
EOD
$reads << EOD
1.039962 123.523
EOD
$probes << EOD
0.343623 0.000
0.775625 0.000
1.639625 0.000
2.011617 0.000
2.471629 0.000
EOD
$updates << EOD
1.739994 9.602
3.040119 91.914
3.040229 93.346
EOD
set object 1 rect from 0.040159, graph 0 to 0.127668, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
set object 2 rect from 0.127681, graph 0 to 3.040283, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
plot $recvq with lines lw 2 lc rgb '#1f77b4' title "slow_reader: unread bytes (recvq)" noenhanced, \
     $sendq with lines lw 2 lc rgb '#d62728' title "fast_peer: queued, not yet acknowledged (sendq)" noenhanced, \
     $notsent with lines lw 1.5 dt 2 lc rgb '#ff7f0e' title "fast_peer: not yet sent (notsent)" noenhanced, \
     $sndwnd with lines lw 4 lc rgb '#2ca02c' title "window fast_peer sees (snd_wnd)" noenhanced, \
     $wire with steps lw 1.5 lc rgb '#9467bd' title "window slow_reader advertised on the wire" noenhanced, \
     $reads with points pt 7 ps 1.5 lc rgb '#000000' title "slow_reader reads again after its stall" noenhanced, \
     $probes with points pt 9 ps 1.5 lc rgb '#8c564b' title "window probe on the wire" noenhanced, \
     $updates with points pt 5 ps 1.5 lc rgb '#e377c2' title "window update on the wire" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "write() blocked" noenhanced
