# flowlab-render --plot: the backpressure lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab backpressure (backpressure): the server's memory and buffers while slow clients stop reading" noenhanced
set xlabel "time (s)"
set ylabel "KiB"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, graph 0.05
$line0 << EOD
2.063118 2292.000
2.083141 2296.000
2.133218 2368.000
2.303248 2368.000
2.353251 2472.000
2.413239 2600.000
2.463188 2688.000
3.143219 2688.000
3.203242 2704.000
3.543399 2704.000
3.583201 2424.000
4.077441 2424.000
EOD
$line1 << EOD
2.063118 0.000
2.243221 0.000
2.303248 20.490
2.353251 122.861
2.413239 245.730
2.463188 327.648
3.543399 327.648
3.583201 0.000
4.077441 0.000
EOD
$line2 << EOD
2.063118 0.000
2.133218 0.000
2.183238 81.906
2.243221 116.393
2.303248 184.854
2.463188 184.854
2.513198 182.854
3.543399 182.854
3.583201 0.000
4.077441 0.000
EOD
$line3 << EOD
EOD
$marks << EOD
EOD
set object 1 rect from 2.075640, graph 0 to 3.575760, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
plot $line0 with lines lw 5 lc rgb '#1f77b4' title "server: resident memory (RSS)" noenhanced, \
     $line1 with lines lw 3.5 lc rgb '#d62728' title "server: produced, not yet written (app buffered)" noenhanced, \
     $line2 with lines lw 2.5 lc rgb '#2ca02c' title "kernel send buffers, all connections (sendq)" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "slow clients stop reading" noenhanced
