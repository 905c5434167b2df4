# flowlab-render --plot: the buffer_sizes lesson, from its logs. Draw it with: gnuplot FILE
set terminal svg size 1100,600 dynamic enhanced font 'sans,11' background '#ffffff'
set output "OUT/timeline.svg"
set title "flowlab buffer_sizes: what the kernel sets for each size asked" noenhanced
set xlabel "time (s)"
set ylabel "what the kernel set"
set grid
set key outside below center horizontal maxrows 3 noenhanced
set offsets 0, 0, graph 0.05, 0
set xlabel "asked for"
set logscale xy 2
set key inside top left
set xtics ("1 B" 1, "32 B" 32, "1 KiB" 1024, "32 KiB" 32768, "1 MiB" 1048576, "32 MiB" 33554432, "1 GiB" 1073741824)
set ytics ("1 B" 1, "32 B" 32, "1 KiB" 1024, "32 KiB" 32768, "1 MiB" 1048576, "32 MiB" 33554432, "1 GiB" 1073741824)
$rcv << EOD
1 2304
1024 2304
4096 8192
65536 131072
1048576 2097152
67108864 8388608
EOD
$snd << EOD
1 4608
1024 4608
4096 8192
65536 131072
1048576 2097152
67108864 8388608
EOD
plot $rcv using 1:2 with linespoints lw 2 title "SO_RCVBUF", $snd using 1:2 with linespoints lw 2 dt 2 title "SO_SNDBUF", $rcv using 1:1 with lines lc rgb '#999999' title "what was asked"
