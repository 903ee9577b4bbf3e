export { DEBIAN_PYTHON, ORACLES, oracleAvailable, requireOracle, type OracleName } from './oracle';
export { runPython, type PythonResult } from './python';
