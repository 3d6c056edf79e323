// Manage the serviceId and profile (HomePass or WorkPass) of Plume Cloud locations.
package plume
