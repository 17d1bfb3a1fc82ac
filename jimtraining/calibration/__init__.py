"""Rater calibration: trainers and trainer candidates score a reference round (a written transcript in a scenario
file, with the expert's scores) and see how well they agree with the expert (issue 17 item 4)."""
