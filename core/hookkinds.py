"""How a hook specification is marked: its kind, and adapters of its earlier forms.

A specification in ``tremplin.hookspecs`` is marked ``@collect``, ``@call`` or ``@first``;
``tremplin.pluginmanager`` calls each hook as its kind says (``kind_of``). A marker may name
the arguments of a hook's deprecated form and the adapter that calls an implementation
written for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

import pluggy

if TYPE_CHECKING:
    from .people.models import Ambassador

PROJECT_NAME = "tremplin"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

# The attributes of a hook specification that hold its kind and its deprecated forms.
KIND_ATTRIBUTE = "tremplin_kind"
ADAPTERS_ATTRIBUTE = "tremplin_adapters"

Function = TypeVar("Function", bound=Callable[..., Any])


class HookKind(StrEnum):
    """How Tremplin calls a hook, as its marker says."""

    COLLECT = "collect"
    CALL = "call"
    FIRST = "first"


def marker(kind: HookKind) -> Callable[..., Any]:
    def mark(
        function: Function | None = None,
        *,
        deprecated: Mapping[str, tuple[Warning, Callable[..., Any]]] | None = None,
    ) -> Function | Callable[[Function], Function]:
        """``deprecated`` maps an argument of a hook's earlier form to the warning given when
        an implementation names it and the adapter that calls such an implementation:
        ``adapter(implementation, **arguments)`` returns what the current form answers."""
        deprecated = deprecated or {}
        warn_on_impl_args = {name: warning for name, (warning, _) in deprecated.items()}

        def decorate(specification: Function) -> Function:
            setattr(specification, KIND_ATTRIBUTE, kind)
            setattr(
                specification,
                ADAPTERS_ATTRIBUTE,
                {name: adapter for name, (_, adapter) in deprecated.items()},
            )
            return hookspec(
                specification,
                firstresult=kind is HookKind.FIRST,
                warn_on_impl_args=warn_on_impl_args or None,
            )

        return decorate(function) if function is not None else decorate

    mark.__doc__ = f"Mark a hook specification of the *{kind}* kind."
    return mark


collect = marker(HookKind.COLLECT)
call = marker(HookKind.CALL)
first = marker(HookKind.FIRST)


def kind_of(specification: Callable[..., Any]) -> HookKind:
    """The kind of a hook specification (``collect``, ``call`` or ``first``)."""
    return getattr(specification, KIND_ATTRIBUTE)


# Adapters of deprecated forms


def one_ambassador_at_a_time(
    implementation: Callable[..., Any], ambassadors: Sequence[Ambassador], **_: Any
) -> dict[int, Any]:
    """Call an implementation of ``ambassador_holds``'s first form once per ambassador."""
    return {ambassador.id: implementation(ambassador=ambassador) for ambassador in ambassadors}
