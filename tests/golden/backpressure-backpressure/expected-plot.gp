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
-0.013717 2336.000
0.006316 2400.000
0.016474 2476.000
0.186432 2476.000
0.236643 2512.000
0.296392 2624.000
0.356386 2736.000
0.386372 2796.000
1.166376 2796.000
1.226426 2812.000
1.506392 2812.000
1.516389 2532.000
2.002285 2532.000
EOD
$line1 << EOD
-0.013717 0.000
0.186432 0.000
0.236643 51.202
0.296392 158.017
0.356386 280.907
0.386372 332.080
1.456371 332.080
1.506392 168.279
1.516389 0.000
2.002285 0.000
EOD
$line2 << EOD
-0.013717 0.000
0.016474 0.000
0.076398 20.477
0.126429 74.129
0.186432 157.414
0.236643 172.675
0.296392 188.675
0.396347 188.675
0.446370 187.675
1.456371 187.675
1.506392 96.221
1.516389 0.000
2.002285 0.000
EOD
$line3 << EOD
EOD
$marks << EOD
EOD
set object 1 rect from 0.000024, graph 0 to 1.500110, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 2812.000
xmax_data = 2.002
if (!exists("ymax")) ymax = ymax_data
if (!exists("xmax")) xmax = xmax_data
set yrange [0:(ymax > 0 ? ymax * 1.05 : 1)]
set xrange [0:(xmax > 0 ? xmax * 1.02 : 1)]
plot $line0 with lines lw 5 lc rgb '#1f77b4' title "server: resident memory (RSS)" noenhanced, \
     $line1 with lines lw 3.5 lc rgb '#d62728' title "server: produced, not yet written (app buffered)" noenhanced, \
     $line2 with lines lw 2.5 lc rgb '#2ca02c' title "kernel send buffers, all connections (sendq)" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "slow clients stop reading" noenhanced
