# flowlab-render --plot: the backpressure lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab backpressure (naive): the server's memory and buffers while slow clients stop reading" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, graph 0.05
$line0 << EOD
0.003813 2320.000
0.023849 2388.000
0.073899 2460.000
0.243918 2460.000
0.303898 2588.000
0.353920 2692.000
0.413924 2812.000
0.473927 2940.000
0.533888 3068.000
0.583913 3164.000
0.643913 3292.000
0.703935 3420.000
0.763895 3572.000
0.813899 3668.000
0.873911 3796.000
0.923948 3892.000
0.983899 4020.000
1.043921 4116.000
1.103905 4244.000
1.153924 4372.000
1.213899 4468.000
1.263907 4596.000
1.323901 4692.000
1.373923 4820.000
1.433880 4948.000
1.483933 5044.000
1.534132 2516.000
2.020114 2516.000
EOD
$line1 << EOD
0.003813 0.000
0.183892 0.000
0.243918 20.488
0.303898 143.350
0.353920 245.758
0.413924 368.629
0.473927 491.518
0.533888 614.363
0.583913 716.762
0.643913 839.648
0.703935 962.539
0.763895 1085.381
0.813899 1187.770
0.873911 1310.645
0.923948 1413.092
0.983899 1535.936
1.043921 1658.816
1.103905 1781.695
1.153924 1884.076
1.213899 2006.938
1.263907 2109.375
1.323901 2232.219
1.373923 2334.613
1.433880 2457.479
1.483933 2559.871
1.534132 0.000
2.020114 0.000
EOD
$line2 << EOD
0.003813 0.000
0.073899 0.000
0.124085 81.873
0.183892 116.441
0.243918 184.889
0.413924 184.889
0.473927 182.889
1.483933 182.889
1.534132 0.000
2.020114 0.000
EOD
$line3 << EOD
EOD
$marks << EOD
EOD
set object 1 rect from 0.020001, graph 0 to 1.520169, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
plot $line0 with lines lw 5 lc rgb '#1f77b4' title "server: resident memory (RSS)" noenhanced, \
     $line1 with lines lw 3.5 lc rgb '#d62728' title "server: produced, not yet written (app buffered)" noenhanced, \
     $line2 with lines lw 2.5 lc rgb '#2ca02c' title "kernel send buffers, all connections (sendq)" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "slow clients stop reading" noenhanced
