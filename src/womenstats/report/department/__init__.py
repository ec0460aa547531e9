"""The self-evaluation of a member department (成员单位自评报告): its targets, data and narrative."""
