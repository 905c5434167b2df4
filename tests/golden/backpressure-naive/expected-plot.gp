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
-0.012917 2348.000
0.007115 2352.000
0.057164 2424.000
0.227157 2424.000
0.287209 2552.000
0.347161 2680.000
0.397182 2776.000
0.447231 2880.000
0.507223 3000.000
0.567175 3128.000
0.617207 3232.000
0.677259 3352.000
0.737256 3500.000
0.797239 3632.000
0.857213 3760.000
0.907318 3856.000
0.957351 3952.000
1.007519 4048.000
1.067183 4176.000
1.127167 4304.000
1.177181 4400.000
1.237188 4528.000
1.287194 4624.000
1.347175 4752.000
1.397196 4848.000
1.457181 4976.000
1.507350 2480.000
2.002915 2480.000
EOD
$line1 << EOD
-0.012917 0.000
0.167177 0.000
0.227157 20.479
0.287209 143.348
0.347161 266.238
0.397182 368.635
0.447231 471.039
0.507223 593.883
0.567175 716.766
0.617207 819.223
0.677259 942.070
0.737256 1064.953
0.797239 1187.830
0.857213 1310.715
0.907318 1413.191
0.957351 1515.648
1.007519 1617.855
1.067183 1740.725
1.127167 1863.588
1.177181 1965.992
1.237188 2088.869
1.287194 2191.262
1.347175 2314.129
1.397196 2416.535
1.457181 2539.426
1.507350 0.000
2.002915 0.000
EOD
$line2 << EOD
-0.012917 0.000
0.057164 0.000
0.107237 81.877
0.167177 116.426
0.227157 184.881
0.397182 184.881
0.447231 182.881
1.457181 182.881
1.507350 0.000
2.002915 0.000
EOD
$line3 << EOD
EOD
$marks << EOD
EOD
set object 1 rect from 0.000023, graph 0 to 1.500108, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 4976.000
xmax_data = 2.003
if (!exists("ymax")) ymax = ymax_data
if (!exists("xmax")) xmax = xmax_data
set yrange [0:(ymax > 0 ? ymax * 1.05 : 1)]
set xrange [0:(xmax > 0 ? xmax * 1.02 : 1)]
plot $line0 with lines lw 5 lc rgb '#1f77b4' title "server: resident memory (RSS)" noenhanced, \
     $line1 with lines lw 3.5 lc rgb '#d62728' title "server: produced, not yet written (app buffered)" noenhanced, \
     $line2 with lines lw 2.5 lc rgb '#2ca02c' title "kernel send buffers, all connections (sendq)" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "slow clients stop reading" noenhanced
