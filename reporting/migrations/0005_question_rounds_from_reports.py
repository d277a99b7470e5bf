"""Each report's existing questions (and the city's answer) become its first round."""

from django.db import migrations


def forwards(apps, schema_editor):
    Report = apps.get_model("reporting", "Report")
    QuestionRound = apps.get_model("reporting", "QuestionRound")
    rounds = [
        QuestionRound(
            report_id=report.pk,
            number=1,
            questions=report.questions,
            asked_at=report.updated_at,
            answer=report.city_answer,
            answered_at=report.updated_at if report.city_answer else None,
        )
        for report in Report.objects.exclude(questions="").filter(question_rounds__isnull=True)
    ]
    QuestionRound.objects.bulk_create(rounds)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_indicators_question_rounds")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
