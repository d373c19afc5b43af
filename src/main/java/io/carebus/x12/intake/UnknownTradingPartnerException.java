package io.carebus.x12.intake;

import io.carebus.x12.X12Exception;

/** No trading partner of that name in config/partners.yaml. */
public class UnknownTradingPartnerException extends X12Exception {
    public UnknownTradingPartnerException(String partner) {
        super("Unknown trading partner " + partner);
    }
}
