/* Simulation API umbrella: filled in by the simulation core (issue 3). */
#pragma once
