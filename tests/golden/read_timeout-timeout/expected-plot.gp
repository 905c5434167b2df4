# flowlab-render --plot: the read_timeout lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab read_timeout (timeout): a client stops writing mid-request; the server's read timeout" noenhanced
set xlabel "time (s)"
set ylabel "bytes"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, 0
$line0 << EOD
0.000026 0
1.010620 0
EOD
$line1 << EOD
0.000026 0
1.010620 0
EOD
$line2 << EOD
0.000091 0
0.000115 10
1.036308 10
EOD
$line3 << EOD
0.000000 0
0.000157 10
1.035874 10
EOD
$marks << EOD
1.035741 10
EOD
set object 1 rect from 0.000151, graph 0 to 1.036196, graph 1 fc rgb '#ffdddd' fs solid 0.5 noborder behind
ymax_data = 10.000
xmax_data = 1.036
if (!exists("ymax")) ymax = ymax_data
if (!exists("xmax")) xmax = xmax_data
set yrange [0:(ymax > 0 ? ymax * 1.05 : 1)]
set xrange [0:(xmax > 0 ? xmax * 1.02 : 1)]
plot $line0 with lines lw 5 lc rgb '#1f77b4' title "server: unread bytes in its receive buffer (recvq)" noenhanced, \
     $line1 with lines lw 3.5 lc rgb '#d62728' title "server: unacknowledged bytes in its send buffer (sendq)" noenhanced, \
     $line2 with steps lw 2.5 lc rgb '#2ca02c' title "client: bytes of the request written" noenhanced, \
     $line3 with steps lw 1.5 lc rgb '#ff7f0e' title "server: bytes of the request read" noenhanced, \
     $marks with points pt 9 ps 1.5 lc rgb '#000000' title "the server's read timeout fires" noenhanced, \
     keyentry with boxes fc rgb '#ffdddd' fs solid 0.5 title "client stops writing" noenhanced
