-- The seeded daily control results of one run of the history scenario (var
-- soc2_it_history_run): what the package must produce for that run in the
-- full day-by-day build, and what the seeded build loads instead.
{{ config(materialized='view', enabled=var('soc2_it_scenario', 'full') == 'history') }}
{{ run_rows(ref('history_control_results'), var('soc2_it_history_run', 0)) }}
