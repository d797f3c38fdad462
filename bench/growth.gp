# The growth curve: accepted/s and writer time per submission as the dedup window fills.
#   gnuplot -e "data='growth.dat'; out='docs/growth.png'" bench/growth.gp
# growth.dat: lines "RECORDS PER_SECOND WRITER_US" (the "segment" lines of pipeline_throughput).
set terminal pngcairo size 900,520 font ",11"
set output out
set title "Durable path (normalize, triage, dedup, outbox) as the dedup window fills"
set xlabel "records in the dedup window"
set logscale x
set format x "10^{%L}"
set ylabel "accepted submissions / s"
set y2label "writer time per submission (µs)"
set yrange [0:*]
set y2range [0:*]
set ytics nomirror
set y2tics
set key bottom left
set grid
plot data using 1:2 with linespoints pt 7 ps 0.5 title "accepted/s (10,000 each point)", \
     data using 1:3 axes x1y2 with linespoints pt 5 ps 0.5 title "writer µs per submission"
