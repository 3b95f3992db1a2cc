"""The mentor side of the scheme: profile, availability, pause, supervision, support, appraisal."""
