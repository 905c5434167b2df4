# flowlab-render --plot: the backpressure lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab backpressure (naive): the server's memory and buffers while slow clients stop reading" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, 0
$line0 << EOD
-0.016160 2320.000
0.003876 2388.000
0.053926 2460.000
0.223945 2460.000
0.283925 2588.000
0.333947 2692.000
0.393951 2812.000
0.453953 2940.000
0.513915 3068.000
0.563939 3164.000
0.623940 3292.000
0.683962 3420.000
0.743921 3572.000
0.793925 3668.000
0.853938 3796.000
0.903975 3892.000
0.963926 4020.000
1.023948 4116.000
1.083932 4244.000
1.133950 4372.000
1.193926 4468.000
1.243934 4596.000
1.303928 4692.000
1.353949 4820.000
1.413906 4948.000
1.463960 5044.000
1.514159 2516.000
2.000141 2516.000
EOD
$line1 << EOD
-0.016160 0.000
0.163919 0.000
0.223945 20.488
0.283925 143.350
0.333947 245.758
0.393951 368.629
0.453953 491.518
0.513915 614.363
0.563939 716.762
0.623940 839.648
0.683962 962.539
0.743921 1085.381
0.793925 1187.770
0.853938 1310.645
0.903975 1413.092
0.963926 1535.936
1.023948 1658.816
1.083932 1781.695
1.133950 1884.076
1.193926 2006.938
1.243934 2109.375
1.303928 2232.219
1.353949 2334.613
1.413906 2457.479
1.463960 2559.871
1.514159 0.000
2.000141 0.000
EOD
$line2 << EOD
-0.016160 0.000
0.053926 0.000
0.104111 81.873
0.163919 116.441
0.223945 184.889
0.393951 184.889
0.453953 182.889
1.463960 182.889
1.514159 0.000
2.000141 0.000
EOD
$line3 << EOD
EOD
$marks << EOD
EOD
set object 1 rect from 0.000028, graph 0 to 1.500195, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 5044.000
xmax_data = 2.000
if (!exists("ymax")) ymax = ymax_data
if (!exists("xmax")) xmax = xmax_data
set yrange [0:(ymax > 0 ? ymax * 1.05 : 1)]
set xrange [0:(xmax > 0 ? xmax * 1.02 : 1)]
plot $line0 with lines lw 5 lc rgb '#1f77b4' title "server: resident memory (RSS)" noenhanced, \
     $line1 with lines lw 3.5 lc rgb '#d62728' title "server: produced, not yet written (app buffered)" noenhanced, \
     $line2 with lines lw 2.5 lc rgb '#2ca02c' title "kernel send buffers, all connections (sendq)" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "slow clients stop reading" noenhanced
