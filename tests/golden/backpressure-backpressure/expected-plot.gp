# flowlab-render --plot: the backpressure lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab backpressure (backpressure): the server's memory and buffers while slow clients stop reading" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, 0
$line0 << EOD
-0.012488 2292.000
0.007535 2296.000
0.057613 2368.000
0.227643 2368.000
0.277646 2472.000
0.337633 2600.000
0.387582 2688.000
1.067613 2688.000
1.127636 2704.000
1.467793 2704.000
1.507595 2424.000
2.001835 2424.000
EOD
$line1 << EOD
-0.012488 0.000
0.167615 0.000
0.227643 20.490
0.277646 122.861
0.337633 245.730
0.387582 327.648
1.467793 327.648
1.507595 0.000
2.001835 0.000
EOD
$line2 << EOD
-0.012488 0.000
0.057613 0.000
0.107632 81.906
0.167615 116.393
0.227643 184.854
0.387582 184.854
0.437593 182.854
1.467793 182.854
1.507595 0.000
2.001835 0.000
EOD
$line3 << EOD
EOD
$marks << EOD
EOD
set object 1 rect from 0.000034, graph 0 to 1.500154, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 2704.000
xmax_data = 2.002
if (!exists("ymax")) ymax = ymax_data
if (!exists("xmax")) xmax = xmax_data
set yrange [0:(ymax > 0 ? ymax * 1.05 : 1)]
set xrange [0:(xmax > 0 ? xmax * 1.02 : 1)]
plot $line0 with lines lw 5 lc rgb '#1f77b4' title "server: resident memory (RSS)" noenhanced, \
     $line1 with lines lw 3.5 lc rgb '#d62728' title "server: produced, not yet written (app buffered)" noenhanced, \
     $line2 with lines lw 2.5 lc rgb '#2ca02c' title "kernel send buffers, all connections (sendq)" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "slow clients stop reading" noenhanced
