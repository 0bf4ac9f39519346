// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title SimpleTrigger
/// @notice Anyone may add a trigger; each one emits NewTrigger for the
/// services watching this contract. Nothing but the id counter is stored:
/// the event carries everything a component needs.
contract SimpleTrigger {
    /// @notice What NewTrigger carries, as abi.encode(TriggerInfo): one
    /// dynamic tuple, starting with the 0x20 offset word.
    struct TriggerInfo {
        uint64 triggerId;
        address creator;
        bytes data;
    }

    /// @param triggerData abi.encode(TriggerInfo{triggerId, creator, data}).
    event NewTrigger(bytes triggerData);

    /// @notice The id the next trigger gets; ids start at 1.
    uint64 public nextTriggerId = 1;

    /// @notice Emits NewTrigger for `data` under a new id, which it returns.
    function addTrigger(bytes calldata data) external returns (uint64 triggerId) {
        triggerId = nextTriggerId++;
        emit NewTrigger(abi.encode(TriggerInfo({triggerId: triggerId, creator: msg.sender, data: data})));
    }
}
