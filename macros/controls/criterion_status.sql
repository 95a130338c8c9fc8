{#- The status of one Trust Services Criterion, from the statuses of the
    controls mapped to it: the one rule, used by soc2__criteria_summary and
    by anything that evaluates criteria per day (DECISIONS 75). Arguments are
    SQL expressions:
      automation          the criterion's automation: automated, partial or manual
      automated_count     automated controls mapped to it
      automated_failing   of them, overall status fail
      automated_not_evaluated  of them, overall status not_evaluated
      attestation_count   manual (attestation) controls mapped to it
      attestation_current of them, with a current attestation
      attestation_expired of them, whose latest attestation has expired

    no_control     nothing maps to the criterion;
    fail           an automated control fails or an attestation has expired;
    not_evaluated  an automated control could not be evaluated;
    manual         an attestation the criterion needs is missing: every
                   mapped attestation control must be current, and a partly
                   automated or manual criterion needs at least one (its
                   automated controls alone do not make it pass);
    pass           every automated control passes (or is not applicable or
                   excepted) and every attestation is current. -#}
{% macro criterion_status(
    automation, automated_count, automated_failing, automated_not_evaluated,
    attestation_count, attestation_current, attestation_expired
) -%}
    case
        when {{ automated_count }} + {{ attestation_count }} = 0 then 'no_control'
        when {{ automated_failing }} > 0 or {{ attestation_expired }} > 0 then 'fail'
        when {{ automated_not_evaluated }} > 0 then 'not_evaluated'
        when {{ attestation_current }} < {{ attestation_count }} then 'manual'
        when {{ automation }} != 'automated' and {{ attestation_current }} = 0 then 'manual'
        else 'pass'
    end
{%- endmacro %}


{#- What a criterion's status rests on: automated evidence, attestation,
    both, or nothing mapped. -#}
{% macro criterion_evidence_basis(automated_count, attestation_count) -%}
    case
        when {{ automated_count }} > 0 and {{ attestation_count }} > 0 then 'automated_and_attestation'
        when {{ automated_count }} > 0 then 'automated'
        when {{ attestation_count }} > 0 then 'attestation'
        else 'none'
    end
{%- endmacro %}
