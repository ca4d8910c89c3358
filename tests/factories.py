from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from agency.auth.keys import api_key_create
from agency.auth.roles import Role, role_assign
from tasks.models import Task

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def role(self, create: bool, extracted: Role | None, **kwargs) -> None:
        if not create:
            return
        self.set_password(PASSWORD)
        self.save()
        if extracted is not None:
            role_assign(user=self, role=extracted)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    description = "Write a Python function add(a, b) in calc.py that returns the sum; test it."
    requester = factory.SubFactory(UserFactory)


def key_for(user) -> str:
    return api_key_create(user=user, name="test")[1]
