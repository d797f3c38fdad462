# The growth curve: accepted/s and writer time per submission as the dedup window fills.
#   gnuplot -e "data='docs/growth.dat'; out='docs/growth.png'" bench/growth.gp
# growth.dat: lines "RECORDS PER_SECOND WRITER_US" (the "segment" lines of pipeline_throughput),
# one block per run, blocks separated by two blank lines.
set terminal pngcairo size 900,560 font ",11"
set output out
set title "Durable path (normalize, triage, dedup, outbox) as the dedup window fills\n(2-core VM shared with other builds, load 12-15)"
set xlabel "records in the dedup window"
set ylabel "accepted submissions / s"
set y2label "writer time per submission (µs, wall)"
set yrange [0:*]
set y2range [0:*]
set ytics nomirror
set y2tics
set key top right
set grid
plot for [i=0:*] data index i using 1:2 with linespoints pt 7 ps 0.6 title sprintf("run %d: accepted/s", i + 1), \
     for [i=0:*] data index i using 1:3 axes x1y2 with lines dt 2 title sprintf("run %d: writer µs per submission", i + 1)
