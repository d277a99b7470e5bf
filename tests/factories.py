"""factory_boy factories for the core and members models. Apps add theirs beside their tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress

from coalition.models import User
from members.models import (
    City,
    Coalition,
    CoalitionKind,
    Commitment,
    Membership,
    MembershipStatus,
    PlanOfAction,
    Role,
    RoleKind,
)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified primary address, as allauth's mandatory verification requires."""
        if not create:
            return
        self.save()  # keeps the password set just before
        EmailAddress.objects.get_or_create(
            user=self,
            email=self.email,
            defaults={"verified": extracted is not False, "primary": True},
        )


class CoalitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coalition
        django_get_or_create = ("short_name",)

    short_name = factory.Sequence(lambda n: f"C{n}")
    name = factory.LazyAttribute(lambda o: f"Coalition {o.short_name}")
    slug = factory.LazyAttribute(lambda o: o.short_name.lower().replace(" ", "-"))
    kind = CoalitionKind.REGIONAL
    founded_on = dt.date(2004, 12, 10)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanOfAction

    coalition = factory.SubFactory(CoalitionFactory)
    title = "Ten-Point Plan of Action"
    adopted_on = dt.date(2004, 12, 10)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"Commitment {o.number}")
    summary = "What the city undertakes."


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"Testville {n}")
    slug = factory.Sequence(lambda n: f"testville-{n}")
    country = "DE"
    region = "Brandenburg"
    latitude = Decimal("52.400000")
    longitude = Decimal("13.050000")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    city = factory.SubFactory(CityFactory)
    coalition = factory.SubFactory(CoalitionFactory)
    status = MembershipStatus.MEMBER
    signed_on = dt.date(2010, 1, 1)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = RoleKind.COORDINATOR
    city = factory.SubFactory(CityFactory)
    coalition = None
    starts_on = dt.date(2020, 1, 1)
