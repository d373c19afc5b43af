package io.carebus.conversion.functions;

import io.carebus.conversion.mapping.MappingFunctions;

/** The Java functions every mapping set may name. */
public final class StandardFunctions {

    private StandardFunctions() {
    }

    public static MappingFunctions create() {
        return new MappingFunctions()
                .value("hd-system", IdentifierSystems::fromHd)
                .value("cx-system", IdentifierSystems::fromCx)
                .value("xcn-system", IdentifierSystems::fromXcn)
                .value("ei-system", IdentifierSystems::fromEi)
                .value("sender-system", IdentifierSystems::fromSender)
                .value("xtn-value", TelecomNumbers::value)
                .segment("us-core-race", UsCoreRaceEthnicity::race)
                .segment("us-core-ethnicity", UsCoreRaceEthnicity::ethnicity)
                .segment("encapsulated-data", EncapsulatedData::observationExtension)
                .segment("observation-value", ObservationValues::apply)
                .segment("visit-period", VisitPeriod::apply)
                .segment("appointment-end", AppointmentEnd::apply)
                .segment("document-content", DocumentContent::append);
    }
}
