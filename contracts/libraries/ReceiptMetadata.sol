// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @title The on-chain metadata of a withdrawal receipt
/// @notice Builds `data:application/json;base64,<JSON>` with the fields wallets and marketplaces read (name,
/// description, image, attributes); the image is an SVG, itself a base64 data URI. Every value written into
/// the JSON or the SVG is a number, a date, one of four fixed words or the currency's symbol, which the queue
/// accepts only as letters and digits, so nothing needs escaping.
library ReceiptMetadata {
    using Strings for uint256;

    /// @notice What the metadata shows of one request (amounts in wei of `currency`, the chain's native
    /// currency: "S" on Sonic, "FTM" on Opera; unix seconds; status as the queue's enum).
    struct Receipt {
        string currency;
        uint256 requestId;
        uint256 amount;
        uint256 finalisedAmount;
        uint8 status;
        uint256 requestedAt;
        uint256 expectedBy;
    }

    function tokenURI(Receipt memory r) internal pure returns (string memory) {
        string memory id = r.requestId.toString();
        string memory amount = formatFTM(r.amount);
        string memory status = statusName(r.status);
        string memory due = r.status == 1 ? formatDate(r.expectedBy) : "claimable now";
        string memory head = string.concat(
            '{"name":"Withdrawal #',
            id,
            '","description":"A withdrawal of ',
            amount,
            " ",
            r.currency,
            " from the liquid staking pool. Whoever holds this receipt when it is claimed is paid.",
            '","image":"data:image/svg+xml;base64,',
            Base64.encode(bytes(_svg(id, string.concat(amount, " ", r.currency), status, due))),
            '","attributes":['
        );
        string memory json = string.concat(head, _attributes(r, amount, status), "]}");
        return string.concat("data:application/json;base64,", Base64.encode(bytes(json)));
    }

    function _attributes(Receipt memory r, string memory amount, string memory status)
        private
        pure
        returns (string memory)
    {
        string memory amounts = string.concat(
            '{"trait_type":"Status","value":"',
            status,
            '"},{"trait_type":"Amount (',
            r.currency,
            ')","value":"',
            amount,
            '"},{"trait_type":"Paid on claim (',
            r.currency,
            ')","value":"',
            formatFTM(r.finalisedAmount),
            '"}'
        );
        return string.concat(
            amounts,
            ',{"trait_type":"Requested","display_type":"date","value":',
            r.requestedAt.toString(),
            '},{"trait_type":"Expected by","display_type":"date","value":',
            r.expectedBy.toString(),
            "}"
        );
    }

    function _svg(string memory id, string memory amountWithCurrency, string memory status, string memory due)
        private
        pure
        returns (string memory)
    {
        return string.concat(
            '<svg xmlns="http://www.w3.org/2000/svg" width="360" height="220" viewBox="0 0 360 220">',
            '<rect width="360" height="220" rx="16" fill="#0b1f3a"/>',
            '<text x="24" y="44" fill="#9fb7d9" font-family="sans-serif" font-size="16">Withdrawal #',
            id,
            "</text>",
            '<text x="24" y="100" fill="#ffffff" font-family="sans-serif" font-size="30">',
            amountWithCurrency,
            "</text>",
            '<text x="24" y="150" fill="#ffd479" font-family="sans-serif" font-size="18">',
            status,
            "</text>",
            '<text x="24" y="186" fill="#9fb7d9" font-family="sans-serif" font-size="14">Due: ',
            due,
            "</text></svg>"
        );
    }

    /// @notice `0` Unknown, `1` Pending, `2` Finalised, `3` Claimed.
    function statusName(uint8 status) internal pure returns (string memory) {
        if (status == 1) return "Pending";
        if (status == 2) return "Finalised";
        if (status == 3) return "Claimed";
        return "Unknown";
    }

    /// @notice FTM wei as a decimal with at most 4 decimals, rounded down: 1234500000000000000 → "1.2345".
    function formatFTM(uint256 wei_) internal pure returns (string memory) {
        uint256 whole = wei_ / 1e18;
        uint256 frac = (wei_ % 1e18) / 1e14;
        if (frac == 0) return whole.toString();
        bytes memory digits = bytes(string.concat(frac < 10 ? "000" : frac < 100 ? "00" : frac < 1000 ? "0" : "", frac.toString()));
        uint256 len = digits.length;
        while (digits[len - 1] == "0") --len;
        bytes memory trimmed = new bytes(len);
        for (uint256 i; i < len; ++i) {
            trimmed[i] = digits[i];
        }
        return string.concat(whole.toString(), ".", string(trimmed));
    }

    /// @notice A unix time as its UTC date, `YYYY-MM-DD` (the proleptic Gregorian calendar).
    function formatDate(uint256 timestamp) internal pure returns (string memory) {
        (uint256 y, uint256 m, uint256 d) = civilDate(timestamp / 1 days);
        return string.concat(y.toString(), m < 10 ? "-0" : "-", m.toString(), d < 10 ? "-0" : "-", d.toString());
    }

    /// @notice Year, month and day of `daysSinceEpoch` days after 1970-01-01. Counts in 400-year eras of
    /// 146,097 days that start on 1 March, so leap days fall at the end of a year: day 0 is 1970-01-01,
    /// day 19,723 is 2024-01-01, day 19,782 is 2024-02-29.
    function civilDate(uint256 daysSinceEpoch) internal pure returns (uint256 year, uint256 month, uint256 day) {
        uint256 z = daysSinceEpoch + 719_468; // days since 0000-03-01
        uint256 era = z / 146_097;
        uint256 doe = z - era * 146_097; // day of the era, 0..146,096
        uint256 yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // year of the era, 0..399
        uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of the year from 1 March, 0..365
        uint256 mp = (5 * doy + 2) / 153; // month from March, 0..11
        day = doy - (153 * mp + 2) / 5 + 1;
        month = mp < 10 ? mp + 3 : mp - 9;
        year = era * 400 + yoe + (month <= 2 ? 1 : 0);
    }
}
