# flowlab-render --plot: the read_timeout lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab read_timeout (naive): a client stops writing mid-request; the server's read timeout" noenhanced
set xlabel "time (s)"
set ylabel "bytes"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, 0
$line0 << EOD
0.000046 0
2.984832 0
EOD
$line1 << EOD
0.000046 0
2.984832 0
EOD
$line2 << EOD
0.000000 0
0.000030 10
3.000107 23
3.000459 23
EOD
$line3 << EOD
0.000017 0
0.000063 10
3.000239 23
3.000407 23
EOD
$marks << EOD
EOD
set object 1 rect from 0.000054, graph 0 to 3.000098, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 23.000
xmax_data = 3.000
if (!exists("ymax")) ymax = ymax_data
if (!exists("xmax")) xmax = xmax_data
set yrange [0:(ymax > 0 ? ymax * 1.05 : 1)]
set xrange [0:(xmax > 0 ? xmax * 1.02 : 1)]
plot $line0 with lines lw 5 lc rgb '#1f77b4' title "server: unread bytes in its receive buffer (recvq)" noenhanced, \
     $line1 with lines lw 3.5 lc rgb '#d62728' title "server: unacknowledged bytes in its send buffer (sendq)" noenhanced, \
     $line2 with steps lw 2.5 lc rgb '#2ca02c' title "client: bytes of the request written" noenhanced, \
     $line3 with steps lw 1.5 lc rgb '#ff7f0e' title "server: bytes of the request read" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "client stops writing" noenhanced
