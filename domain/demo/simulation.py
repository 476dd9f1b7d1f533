"""The day-by-day loop: take over the existing tenancies, let households arrive, run what is
due on the day, allocate vacant dwellings on weekdays."""

from __future__ import annotations

import heapq
from datetime import timedelta

from domain.demo.housing import Housing
from domain.demo.state import DAY, Event


class Simulation(Housing):
    """The whole simulation: every layer, and the loop."""

    def run(self) -> list[Event]:
        day = self.start
        self.register_stock(day)
        while day <= self.today:
            if day < self.start + timedelta(days=60):
                self.take_over(day)
            self.arrivals(day)
            while self.heap and self.heap[0][0] <= day:
                _, _, action, ref, token = heapq.heappop(self.heap)
                getattr(self, f"on_{action}")(day, ref, token)
            if day.weekday() < 5:
                self.allocate(day)
            day += DAY
        return self.events
