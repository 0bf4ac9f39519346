// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title ServiceManager
/// @notice The operator set of one WAVS-style service: owner-managed
/// operators, each with a weight and a linked signing key, a quorum fraction
/// and the URI of the service's JSON.
///
/// `validate` accepts an envelope when signatures of registered signing keys,
/// sorted ascending, carry at least the quorum fraction of the total weight.
/// Everything it reads (signing keys, weights, the total and the quorum) is
/// taken at the envelope's reference block from per-block checkpoints, so a
/// change made after that block never changes the outcome.
///
/// Compatible with WAVS's IWavsServiceManager: the same Envelope and
/// SignatureData types and encoding, the same digest, the same error names and
/// the same views the node reads (getOperatorWeight, getServiceURI,
/// getLatestOperatorForSigningKey, ServiceURIUpdated).
contract ServiceManager {
    /// @notice A service result: the component's payload under an event id.
    struct Envelope {
        bytes20 eventId;
        bytes12 ordering;
        bytes payload;
    }

    /// @notice Signatures over an envelope. `signers` are signing-key
    /// addresses, strictly ascending; `signatures[i]` is the 65-byte r‖s‖v
    /// signature of `signers[i]` (v = 27/28, low s) over the EIP-191 digest of
    /// keccak256(abi.encode(envelope)).
    struct SignatureData {
        address[] signers;
        bytes[] signatures;
        uint32 referenceBlock;
    }

    /// @dev A value from block `fromBlock` on. The value at block b is the
    /// value of the last checkpoint with fromBlock <= b (zero before the
    /// first). 48 + 208 bits share one storage slot.
    struct Checkpoint {
        uint48 fromBlock;
        uint208 value;
    }

    // Errors of validate (the names WAVS uses).

    /// @notice No signers, or not as many signatures as signers.
    error InvalidSignatureLength();
    /// @notice The reference block is not in the past.
    error InvalidSignatureBlock();
    /// @notice Signers are not strictly ascending (a repeated signer counts).
    error InvalidSignatureOrder();
    /// @notice A signer was not a registered signing key at the reference block.
    error InvalidSigner();
    /// @notice A signature is malformed or was not made by its signer over this envelope.
    error InvalidSignature();
    /// @notice The signers' weight is below the quorum: signerWeight * den < num * totalWeight.
    error InsufficientQuorum(uint256 signerWeight, uint256 thresholdWeight, uint256 totalWeight);

    // Errors of the owner's functions and the views.

    error NotOwner(address caller);
    error ZeroAddress();
    error OperatorAlreadyRegistered(address operator);
    error OperatorNotRegistered(address operator);
    error SigningKeyInUse(address signingKey, address operator);
    /// @notice A weight of zero, or one that would take the total above MAX_TOTAL_WEIGHT.
    error InvalidWeight(uint256 weight);
    /// @notice A quorum must satisfy 0 < numerator <= denominator <= 2**64 - 1.
    error InvalidQuorum(uint256 numerator, uint256 denominator);
    /// @notice A value was asked for at a block that is not in the past yet.
    error FutureLookup(uint256 blockNumber, uint256 currentBlock);

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event OperatorRegistered(address indexed operator, address indexed signingKey, uint256 weight);
    event OperatorWeightUpdated(address indexed operator, uint256 oldWeight, uint256 newWeight);
    event OperatorSigningKeyUpdated(
        address indexed operator, address indexed oldSigningKey, address indexed newSigningKey
    );
    event OperatorDeregistered(address indexed operator, address indexed signingKey);
    event QuorumUpdated(uint256 numerator, uint256 denominator);
    event ServiceURIUpdated(string serviceURI);

    /// @notice The total weight may not exceed this, so that the quorum
    /// products in validate (weight × 64-bit quorum terms) cannot overflow.
    uint256 public constant MAX_TOTAL_WEIGHT = type(uint128).max;

    /// @dev secp256k1n / 2: a signature with a larger s is the malleable twin
    /// of a canonical one and is rejected.
    uint256 private constant HALF_CURVE_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    /// @notice The account allowed to change operators, the quorum and the URI.
    address public owner;

    string private _serviceURI;

    /// @dev Registered operators, for enumeration; _operatorIndex holds index + 1.
    address[] private _operators;
    mapping(address operator => uint256 indexPlusOne) private _operatorIndex;
    /// @dev The current signing key of each registered operator.
    mapping(address operator => address signingKey) private _signingKeyOf;

    mapping(address operator => Checkpoint[]) private _weightHistory;
    /// @dev Signing key → operator address (as uint160; zero when unlinked).
    mapping(address signingKey => Checkpoint[]) private _keyOperatorHistory;
    Checkpoint[] private _totalWeightHistory;
    /// @dev numerator << 64 | denominator.
    Checkpoint[] private _quorumHistory;

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @notice The deployer becomes the owner; the quorum starts at 2/3.
    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
        _setQuorum(2, 3);
    }

    // ---------------------------------------------------------------- validate

    /// @notice Reverts unless `signatureData` holds valid signatures over
    /// `envelope` by registered signing keys, sorted strictly ascending, whose
    /// operators' weight meets the quorum, all as of the reference block.
    function validate(Envelope calldata envelope, SignatureData calldata signatureData) external view {
        address[] calldata signers = signatureData.signers;
        bytes[] calldata signatures = signatureData.signatures;
        if (signers.length == 0 || signers.length != signatures.length) revert InvalidSignatureLength();
        uint256 ref = signatureData.referenceBlock;
        if (ref >= block.number) revert InvalidSignatureBlock();

        bytes32 digest = keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", keccak256(abi.encode(envelope))));
        uint256 signedWeight;
        for (uint256 i; i < signers.length; ++i) {
            address signer = signers[i];
            // Strictly ascending also means no signer is counted twice; and
            // at any block an operator has one signing key, so no operator is.
            if (i > 0 && signer <= signers[i - 1]) revert InvalidSignatureOrder();
            address operator = address(uint160(_valueAt(_keyOperatorHistory[signer], ref)));
            if (operator == address(0)) revert InvalidSigner();
            if (_recover(digest, signatures[i]) != signer) revert InvalidSignature();
            signedWeight += _valueAt(_weightHistory[operator], ref);
        }

        uint256 total = _valueAt(_totalWeightHistory, ref);
        (uint256 num, uint256 den) = _quorum(_valueAt(_quorumHistory, ref));
        if (total == 0 || signedWeight * den < num * total) {
            revert InsufficientQuorum(signedWeight, _threshold(total, num, den), total);
        }
    }

    /// @dev The signer of a 65-byte r‖s‖v signature over digest; reverts with
    /// InvalidSignature on a malformed, high-s or unrecoverable signature.
    function _recover(bytes32 digest, bytes calldata signature) private pure returns (address) {
        if (signature.length != 65) revert InvalidSignature();
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (uint256(s) > HALF_CURVE_ORDER || (v != 27 && v != 28)) revert InvalidSignature();
        address signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
        return signer;
    }

    // --------------------------------------------------------------- operators

    /// @notice Adds `operator` with `weight`, signing with `signingKey`.
    function registerOperator(address operator, address signingKey, uint256 weight) external onlyOwner {
        if (operator == address(0) || signingKey == address(0)) revert ZeroAddress();
        if (_operatorIndex[operator] != 0) revert OperatorAlreadyRegistered(operator);
        if (weight == 0) revert InvalidWeight(weight);
        _linkSigningKey(operator, signingKey);
        _operators.push(operator);
        _operatorIndex[operator] = _operators.length;
        _setWeight(operator, weight);
        emit OperatorRegistered(operator, signingKey, weight);
    }

    /// @notice Changes a registered operator's weight (use deregisterOperator for zero).
    function updateOperatorWeight(address operator, uint256 weight) external onlyOwner {
        _requireRegistered(operator);
        if (weight == 0) revert InvalidWeight(weight);
        uint256 oldWeight = _setWeight(operator, weight);
        emit OperatorWeightUpdated(operator, oldWeight, weight);
    }

    /// @notice Replaces a registered operator's signing key; the old key stops
    /// counting from this block on.
    function updateOperatorSigningKey(address operator, address signingKey) external onlyOwner {
        _requireRegistered(operator);
        if (signingKey == address(0)) revert ZeroAddress();
        address oldKey = _signingKeyOf[operator];
        if (oldKey == signingKey) return;
        _push(_keyOperatorHistory[oldKey], 0);
        _linkSigningKey(operator, signingKey);
        emit OperatorSigningKeyUpdated(operator, oldKey, signingKey);
    }

    /// @notice Removes `operator`: its weight and signing key stop counting
    /// from this block on.
    function deregisterOperator(address operator) external onlyOwner {
        _requireRegistered(operator);
        address key = _signingKeyOf[operator];
        delete _signingKeyOf[operator];
        _push(_keyOperatorHistory[key], 0);
        _setWeight(operator, 0);

        uint256 index = _operatorIndex[operator] - 1;
        address last = _operators[_operators.length - 1];
        _operators[index] = last;
        _operatorIndex[last] = index + 1;
        _operators.pop();
        delete _operatorIndex[operator];
        emit OperatorDeregistered(operator, key);
    }

    function _requireRegistered(address operator) private view {
        if (_operatorIndex[operator] == 0) revert OperatorNotRegistered(operator);
    }

    function _linkSigningKey(address operator, address signingKey) private {
        address current = address(uint160(_latest(_keyOperatorHistory[signingKey])));
        if (current != address(0)) revert SigningKeyInUse(signingKey, current);
        _signingKeyOf[operator] = signingKey;
        _push(_keyOperatorHistory[signingKey], uint160(operator));
    }

    /// @dev Sets an operator's weight and moves the total; returns the old weight.
    function _setWeight(address operator, uint256 weight) private returns (uint256 oldWeight) {
        oldWeight = _latest(_weightHistory[operator]);
        uint256 total = _latest(_totalWeightHistory) - oldWeight + weight;
        if (total > MAX_TOTAL_WEIGHT) revert InvalidWeight(weight);
        _push(_weightHistory[operator], weight);
        _push(_totalWeightHistory, total);
    }

    // ------------------------------------------------------------------ quorum

    /// @notice Sets the quorum fraction: validate passes when
    /// signedWeight * denominator >= numerator * totalWeight.
    function setQuorum(uint256 numerator, uint256 denominator) external onlyOwner {
        _setQuorum(numerator, denominator);
    }

    function _setQuorum(uint256 numerator, uint256 denominator) private {
        if (numerator == 0 || numerator > denominator || denominator > type(uint64).max) {
            revert InvalidQuorum(numerator, denominator);
        }
        _push(_quorumHistory, (numerator << 64) | denominator);
        emit QuorumUpdated(numerator, denominator);
    }

    function _quorum(uint256 packed) private pure returns (uint256 numerator, uint256 denominator) {
        return (packed >> 64, packed & type(uint64).max);
    }

    /// @dev The least weight that meets the quorum: ceil(total * num / den).
    function _threshold(uint256 total, uint256 num, uint256 den) private pure returns (uint256) {
        return (total * num + den - 1) / den;
    }

    // ------------------------------------------------------------------- views

    /// @notice The operator `signingKey` currently signs for (zero if none).
    function getLatestOperatorForSigningKey(address signingKey) external view returns (address) {
        return address(uint160(_latest(_keyOperatorHistory[signingKey])));
    }

    /// @notice The operator `signingKey` signed for at a past block (zero if none).
    function getOperatorForSigningKeyAt(address signingKey, uint256 blockNumber) external view returns (address) {
        _requirePast(blockNumber);
        return address(uint160(_valueAt(_keyOperatorHistory[signingKey], blockNumber)));
    }

    /// @notice The current signing key of `operator` (zero if not registered).
    function getLatestOperatorSigningKey(address operator) external view returns (address) {
        return _signingKeyOf[operator];
    }

    /// @notice The current weight of `operator` (zero if not registered).
    function getOperatorWeight(address operator) external view returns (uint256) {
        return _latest(_weightHistory[operator]);
    }

    /// @notice The weight of `operator` at a past block.
    function getOperatorWeightAt(address operator, uint256 blockNumber) external view returns (uint256) {
        _requirePast(blockNumber);
        return _valueAt(_weightHistory[operator], blockNumber);
    }

    /// @notice The sum of all operators' current weights.
    function getTotalWeight() external view returns (uint256) {
        return _latest(_totalWeightHistory);
    }

    /// @notice The total weight at a past block.
    function getTotalWeightAt(uint256 blockNumber) external view returns (uint256) {
        _requirePast(blockNumber);
        return _valueAt(_totalWeightHistory, blockNumber);
    }

    /// @notice The current quorum numerator (2 of 2/3 by default).
    function quorumNumerator() external view returns (uint256 numerator) {
        (numerator,) = _quorum(_latest(_quorumHistory));
    }

    /// @notice The current quorum denominator (3 of 2/3 by default).
    function quorumDenominator() external view returns (uint256 denominator) {
        (, denominator) = _quorum(_latest(_quorumHistory));
    }

    /// @notice The quorum fraction at a past block.
    function getQuorumAt(uint256 blockNumber) external view returns (uint256 numerator, uint256 denominator) {
        _requirePast(blockNumber);
        return _quorum(_valueAt(_quorumHistory, blockNumber));
    }

    /// @notice The least signed weight that meets the current quorum.
    function getThresholdWeight() external view returns (uint256) {
        (uint256 num, uint256 den) = _quorum(_latest(_quorumHistory));
        return _threshold(_latest(_totalWeightHistory), num, den);
    }

    /// @notice The least signed weight that met the quorum at a past block.
    function getThresholdWeightAt(uint256 blockNumber) external view returns (uint256) {
        _requirePast(blockNumber);
        (uint256 num, uint256 den) = _quorum(_valueAt(_quorumHistory, blockNumber));
        return _threshold(_valueAt(_totalWeightHistory, blockNumber), num, den);
    }

    /// @notice The currently registered operators, in no particular order.
    function getOperators() external view returns (address[] memory) {
        return _operators;
    }

    function _requirePast(uint256 blockNumber) private view {
        // A value at the current block may still change within the block.
        if (blockNumber >= block.number) revert FutureLookup(blockNumber, block.number);
    }

    // ------------------------------------------------------------- service URI

    /// @notice Where the service's JSON definition is served.
    function getServiceURI() external view returns (string memory) {
        return _serviceURI;
    }

    function setServiceURI(string calldata serviceURI) external onlyOwner {
        _serviceURI = serviceURI;
        emit ServiceURIUpdated(serviceURI);
    }

    // --------------------------------------------------------------- ownership

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    // ------------------------------------------------------------- checkpoints

    /// @dev Records `value` from the current block on; a second change in
    /// the same block overwrites the first.
    function _push(Checkpoint[] storage history, uint256 value) private {
        // A block number needs 48 bits for millions of years; values are
        // bounded by MAX_TOTAL_WEIGHT (128 bits), an address (160) or the
        // packed quorum (128), all below 208 bits.
        uint48 blockNumber = uint48(block.number);
        uint256 n = history.length;
        if (n > 0 && history[n - 1].fromBlock == blockNumber) {
            history[n - 1].value = uint208(value);
        } else {
            history.push(Checkpoint({fromBlock: blockNumber, value: uint208(value)}));
        }
    }

    function _latest(Checkpoint[] storage history) private view returns (uint256) {
        uint256 n = history.length;
        return n == 0 ? 0 : history[n - 1].value;
    }

    /// @dev The value at `blockNumber`: the last checkpoint with
    /// fromBlock <= blockNumber, found by binary search after checking the
    /// latest (the common case: nothing changed since the reference block).
    function _valueAt(Checkpoint[] storage history, uint256 blockNumber) private view returns (uint256) {
        uint256 high = history.length;
        if (high == 0) return 0;
        if (history[high - 1].fromBlock <= blockNumber) return history[high - 1].value;
        uint256 low = 0;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (history[mid].fromBlock > blockNumber) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low == 0 ? 0 : history[low - 1].value;
    }
}
