"""Synthetic national-scale data for benchmarks: `flask --app mentoring synthetic-data --scale S`.

Scale 1 is a national scheme (60,000 doctors, 6,000 trained mentors, 20,000 relationships, 150,000
session logs, 1,000,000 check-ins over two years, a 200-entry directory). Everything is drawn from a
seeded numpy generator, so one scale and seed always give the same scheme, and written in bulk
(COPY on PostgreSQL, batched Core inserts on SQLite).
"""
