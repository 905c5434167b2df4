# flowlab-render --plot: the request_response lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab request_response (plain): the request waits in the server's receive buffer, the response in its send buffer" noenhanced
set xlabel "time (s)"
set ylabel "bytes"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, 0
$line0 << EOD
0.000139 23
0.960035 23
1.000389 0
EOD
$line1 << EOD
0.000139 0
1.000389 0
EOD
$line2 << EOD
0.000000 0
0.000029 23
1.000497 23
EOD
$line3 << EOD
0.000119 0
1.000255 23
1.000428 23
EOD
$marks << EOD
EOD
set object 1 rect from 0.000144, graph 0 to 1.000179, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 23.000
xmax_data = 1.000
if (!exists("ymax")) ymax = ymax_data
if (!exists("xmax")) xmax = xmax_data
set yrange [0:(ymax > 0 ? ymax * 1.05 : 1)]
set xrange [0:(xmax > 0 ? xmax * 1.02 : 1)]
plot $line0 with lines lw 5 lc rgb '#1f77b4' title "server: unread bytes in its receive buffer (recvq)" noenhanced, \
     $line1 with lines lw 3.5 lc rgb '#d62728' title "server: unacknowledged bytes in its send buffer (sendq)" noenhanced, \
     $line2 with steps lw 2.5 lc rgb '#2ca02c' title "client: bytes of the request written" noenhanced, \
     $line3 with steps lw 1.5 lc rgb '#ff7f0e' title "server: bytes of the request read" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "server does not read (--read-delay)" noenhanced
