// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title UpgradeableProxy
/// @notice An ERC-1967 proxy: every call runs the implementation's code on
/// this contract's storage. The implementation and the admin live in the
/// ERC-1967 slots, where explorers and tools look for them.
///
/// Only `upgradeToAndCall` from the admin is the proxy's own; every other
/// call, that one from anyone else included, is delegated to the
/// implementation (the admin's other calls too, so one account can be both
/// the proxy's admin and the implementation's owner). The proxy declares no
/// views, so that it adds nothing to the implementation's interface.
contract UpgradeableProxy {
    /// @dev bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1).
    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    /// @dev bytes32(uint256(keccak256("eip1967.proxy.admin")) - 1).
    bytes32 internal constant ADMIN_SLOT = 0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103;

    /// @notice The implementation is not a contract.
    error InvalidImplementation(address implementation);
    /// @notice The admin is the zero address.
    error InvalidAdmin(address admin);

    /// @notice ERC-1967: the implementation changed.
    event Upgraded(address indexed implementation);
    /// @notice ERC-1967: the admin changed.
    event AdminChanged(address previousAdmin, address newAdmin);

    /// @notice Points the proxy at `implementation`, makes `admin` its admin
    /// and, if `initData` is not empty, runs it on the implementation
    /// (typically an initialize call), reverting as it reverts.
    constructor(address implementation, address admin, bytes memory initData) payable {
        if (admin == address(0)) revert InvalidAdmin(admin);
        _store(ADMIN_SLOT, admin);
        emit AdminChanged(address(0), admin);
        _upgrade(implementation, initData);
    }

    /// @notice From the admin: switches to `newImplementation` and, if
    /// `data` is not empty, runs it on the new implementation. From anyone
    /// else: delegated to the implementation like any other call.
    function upgradeToAndCall(address newImplementation, bytes calldata data) external payable {
        if (msg.sender != _load(ADMIN_SLOT)) _delegate(_load(IMPLEMENTATION_SLOT));
        _upgrade(newImplementation, data);
    }

    fallback() external payable {
        _delegate(_load(IMPLEMENTATION_SLOT));
    }

    receive() external payable {
        _delegate(_load(IMPLEMENTATION_SLOT));
    }

    function _upgrade(address implementation, bytes memory data) private {
        if (implementation.code.length == 0) revert InvalidImplementation(implementation);
        _store(IMPLEMENTATION_SLOT, implementation);
        emit Upgraded(implementation);
        if (data.length == 0) return;
        (bool ok, bytes memory result) = implementation.delegatecall(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    /// @dev Runs the whole calldata on `implementation` and returns or
    /// reverts with what it returned; never comes back.
    function _delegate(address implementation) private {
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), implementation, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }

    function _load(bytes32 slot) private view returns (address value) {
        assembly ("memory-safe") {
            value := sload(slot)
        }
    }

    function _store(bytes32 slot, address value) private {
        assembly ("memory-safe") {
            sstore(slot, value)
        }
    }
}
