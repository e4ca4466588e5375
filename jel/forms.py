from django import forms

from jel.models import StaffProfile


class GradeLevelsField(forms.MultipleChoiceField):
    def to_python(self, value):
        return [int(v) for v in super().to_python(value)]

    def valid_value(self, value):
        return super().valid_value(str(value))


class StaffProfileForm(forms.ModelForm):
    grade_levels = GradeLevelsField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Grade levels you teach",
    )

    class Meta:
        model = StaffProfile
        fields = ["years_experience", "department", "grade_levels"]
        labels = {
            "years_experience": "Years of teaching experience",
            "department": "Department or content area",
        }
        help_texts = {
            "years_experience": "Teachers with fewer than 3 years count as new."
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        label = {0: "Kindergarten"}
        self.fields["grade_levels"].choices = [
            (str(g), label.get(g, f"Grade {g}")) for g in sorted(school.grade_levels)
        ]
        self.initial["grade_levels"] = [str(g) for g in self.instance.grade_levels]
